// Reading IDX files from disk (Node): transparently gunzips `.gz` files (gzip magic 1f 8b) with
// node:zlib, then parses with parseIdx. Also builds an image-classification TensorDataset from an
// images/labels file pair (pixels scaled to [0, 1], labels int64). node:fs and node:zlib are
// imported lazily so that importing @efficientdl/nn stays browser-safe.
import { ModelFormatError, ShapeError, type TensorData, formatShape, tensorData } from '@efficientdl/ir';
import { TensorDataset } from './dataset.js';
import { parseIdx } from './idx.js';

/** Gunzips when the bytes start with the gzip magic; otherwise returns them unchanged. */
export async function maybeGunzip(bytes: Uint8Array, file?: string): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const { gunzipSync } = await import('node:zlib');
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new ModelFormatError(`file '${file ?? '<bytes>'}': corrupt gzip stream (${(error as Error).message}) at byte offset 0`, {
      file,
      offset: 0,
    });
  }
}

/** Reads an IDX file, gzip-compressed or not. */
export async function readIdxFile(path: string): Promise<TensorData> {
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(path));
  return parseIdx(await maybeGunzip(bytes, path), { file: path });
}

export interface ImageDatasetOptions {
  /** Keep only the first `limit` samples. */
  limit?: number;
}

/**
 * images: uint8 (N, H, W) → float32 (N, 1, H, W) in [0, 1]; labels: uint8 (N) → int64 (N).
 */
export function imageClassificationDataset(images: TensorData, labels: TensorData, options: ImageDatasetOptions = {}): TensorDataset {
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new ShapeError(
      `image dataset: expected images (N, H, W) and labels (N), got ${formatShape(images.shape)} and ${formatShape(labels.shape)}`,
    );
  }
  const [total, height, width] = images.shape as [number, number, number];
  const count = Math.min(total, options.limit ?? total);
  const pixels = tensorData('float32', [count, 1, height, width]);
  const pixelValues = pixels.data as Float32Array;
  const source = images.data;
  for (let index = 0; index < pixelValues.length; index++) pixelValues[index] = Number(source[index]) / 255;
  const targets = tensorData('int64', [count]);
  const targetValues = targets.data as BigInt64Array;
  for (let index = 0; index < count; index++) targetValues[index] = BigInt(Number(labels.data[index]));
  return new TensorDataset(pixels, targets);
}

/** Loads an images/labels IDX pair (e.g. Fashion-MNIST's train-images-idx3-ubyte.gz + labels). */
export async function loadIdxImageDataset(paths: { images: string; labels: string }, options: ImageDatasetOptions = {}): Promise<TensorDataset> {
  const [images, labels] = await Promise.all([readIdxFile(paths.images), readIdxFile(paths.labels)]);
  return imageClassificationDataset(images, labels, options);
}
