// IDX: hand-written bytes, round trips, typed errors naming file and offset, and the real
// Fashion-MNIST test labels/images from the shared data.
import { gzipSync } from 'node:zlib';
import { ModelFormatError, fromNumbers } from '@efficientdl/ir';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { imageClassificationDataset, loadIdxImageDataset, maybeGunzip, readIdxFile } from './idx-file.js';
import { parseIdx, serializeIdx } from './idx.js';

describe('parseIdx', () => {
  it('parses a hand-written uint8 (2, 3) file', () => {
    const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
    const tensor = parseIdx(bytes);
    expect(tensor.dtype).toBe('uint8');
    expect(tensor.shape).toEqual([2, 3]);
    expect(Array.from(tensor.data as Uint8Array)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('reads big-endian int32 and float32', () => {
    const int32 = parseIdx(new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]));
    expect(Array.from(int32.data as Int32Array)).toEqual([-2]);
    const float = parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]));
    expect(Array.from(float.data as Float32Array)).toEqual([1.5]);
  });

  it('round-trips every supported dtype', () => {
    for (const dtype of ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const) {
      const tensor = fromNumbers(dtype, [2, 2], [1, 2, 3, 100]);
      expect(parseIdx(serializeIdx(tensor))).toEqual(tensor);
    }
  });

  it('throws ModelFormatError naming file and offset', () => {
    const good = serializeIdx(fromNumbers('uint8', [4], [1, 2, 3, 4]));
    const badMagic = good.slice();
    badMagic[0] = 7;
    expect(() => parseIdx(badMagic, { file: 'x.idx' })).toThrow(ModelFormatError);
    expect(() => parseIdx(badMagic, { file: 'x.idx' })).toThrow(/x\.idx.*offset 0/);
    expect(() => parseIdx(good.slice(0, 10), { file: 'short.idx' })).toThrow(/short\.idx.*truncated data.*offset 10/);
    expect(() => parseIdx(good.slice(0, 6), { file: 'h.idx' })).toThrow(/truncated header/);
    const badType = good.slice();
    badType[2] = 0x42;
    try {
      parseIdx(badType, { file: 't.idx' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as ModelFormatError).context).toMatchObject({ file: 't.idx', offset: 2 });
    }
  });

  it('gunzips transparently', async () => {
    const raw = serializeIdx(fromNumbers('uint8', [3], [9, 8, 7]));
    expect(await maybeGunzip(gzipSync(raw))).toEqual(raw);
    expect(await maybeGunzip(raw)).toBe(raw);
    await expect(maybeGunzip(new Uint8Array([0x1f, 0x8b, 1, 2]), 'bad.gz')).rejects.toThrow(/bad\.gz/);
  });

  it('builds an image dataset scaled to [0, 1] with int64 labels', () => {
    const images = fromNumbers('uint8', [2, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4]);
    const labels = fromNumbers('uint8', [2], [7, 3]);
    const dataset = imageClassificationDataset(images, labels, { limit: 1 });
    expect(dataset.length).toBe(1);
    const [x, y] = dataset.get(0);
    expect(x?.shape).toEqual([1, 2, 2]);
    expect(x?.toArray()).toEqual([0, 1, 0.2, 0.4].map((value) => Math.fround(value)));
    expect(y?.dtype).toBe('int64');
    expect(y?.toArray()).toEqual([7]);
  });
});

describe.skipIf(!hasSharedData('fashion-mnist'))('real Fashion-MNIST test files', () => {
  it('has 10k 28×28 images and 1000 labels per class', async () => {
    const labels = await readIdxFile(sharedDataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz'));
    expect(labels.shape).toEqual([10000]);
    const counts = new Array(10).fill(0);
    for (const label of labels.data as Uint8Array) counts[label]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    const dataset = await loadIdxImageDataset(
      {
        images: sharedDataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz'),
        labels: sharedDataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz'),
      },
      { limit: 100 },
    );
    expect(dataset.length).toBe(100);
    const [image] = dataset.get(0);
    expect(image?.shape).toEqual([1, 28, 28]);
    const pixels = image?.toArray() ?? [];
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.max(...pixels)).toBeGreaterThan(0.5);
  });
});
