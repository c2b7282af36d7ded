// Where the app's images come from: the full Fashion-MNIST files in a folder (--data), or the
// embedded class-balanced 4000-image subset of the test set shipped in ../data.
import { fileURLToPath } from 'node:url';
import { type TensorDataset, loadIdxImageDataset } from '@efficientdl/nn';

export const EMBEDDED_DIR = fileURLToPath(new URL('../data/', import.meta.url));

export interface Split {
  train: TensorDataset;
  test: TensorDataset;
}

/** The official train (60k) and test (10k) splits from a folder holding the four .gz files. */
export async function loadFashionMnist(directory: string, options: { limit?: number } = {}): Promise<Split> {
  const file = (name: string) => `${directory.replace(/\/$/, '')}/${name}`;
  const [train, test] = await Promise.all([
    loadIdxImageDataset(
      { images: file('train-images-idx3-ubyte.gz'), labels: file('train-labels-idx1-ubyte.gz') },
      { limit: options.limit },
    ),
    loadIdxImageDataset({ images: file('t10k-images-idx3-ubyte.gz'), labels: file('t10k-labels-idx1-ubyte.gz') }),
  ]);
  return { train, test };
}

/** The embedded subset (4000 images, 400 per class, in the test set's order). */
export async function loadEmbedded(): Promise<TensorDataset> {
  return loadIdxImageDataset({
    images: `${EMBEDDED_DIR}fashion-mnist-subset-images-idx3-ubyte.gz`,
    labels: `${EMBEDDED_DIR}fashion-mnist-subset-labels-idx1-ubyte.gz`,
  });
}

/** Splits the embedded subset: the first `trainSize` images train, the last `testSize` test. */
export function splitEmbedded(subset: TensorDataset, options: { trainSize: number; testSize: number }): Split {
  const { trainSize, testSize } = options;
  return { train: subset.slice(0, trainSize), test: subset.slice(subset.length - testSize) };
}
