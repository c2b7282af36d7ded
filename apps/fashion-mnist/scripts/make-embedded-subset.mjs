#!/usr/bin/env node
// Produces the demo's embedded dataset (apps/fashion-mnist/data/): a class-balanced subset of the
// Fashion-MNIST TEST set — the first N images of each class, kept in their original order — re-encoded
// as IDX + gzip (level 9), plus Fashion-MNIST's MIT LICENSE. Deterministic: same input, same bytes.
//
//   node apps/fashion-mnist/scripts/make-embedded-subset.mjs [--source ../shared/data/fashion-mnist] [--per-class 400]
//
// With the default 400 per class (4000 images) the two files total about 1.76 MB (limit: 2 MB).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: resolve(appRoot, '..', '..', '..', 'shared', 'data', 'fashion-mnist') },
    'per-class': { type: 'string', default: '400' },
    out: { type: 'string', default: join(appRoot, 'data') },
  },
});
const perClass = Number(values['per-class']);
const MAX_BYTES = 2 * 1024 * 1024;

/** Reads a gzip IDX file: returns its dims and the data bytes (uint8 payload). */
function readIdx(path, expectedRank) {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || bytes[3] !== expectedRank) {
    throw new Error(`${path}: not a uint8 IDX file of rank ${expectedRank}`);
  }
  const dims = Array.from({ length: expectedRank }, (_, axis) => view.getUint32(4 + 4 * axis, false));
  return { dims, data: bytes.subarray(4 + 4 * expectedRank) };
}

function writeIdx(path, dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((dim, axis) => header.writeUInt32BE(dim, 4 + 4 * axis));
  writeFileSync(path, gzipSync(Buffer.concat([header, data]), { level: 9 }));
}

const images = readIdx(join(values.source, 't10k-images-idx3-ubyte.gz'), 3);
const labels = readIdx(join(values.source, 't10k-labels-idx1-ubyte.gz'), 1);
const [count, height, width] = images.dims;
const pixels = height * width;
const taken = new Array(10).fill(0);
const selected = [];
for (let index = 0; index < count; index++) {
  const label = labels.data[index];
  if (taken[label] < perClass) {
    taken[label]++;
    selected.push(index);
  }
}
const subsetImages = Buffer.alloc(selected.length * pixels);
const subsetLabels = Buffer.alloc(selected.length);
selected.forEach((source, position) => {
  subsetImages.set(images.data.subarray(source * pixels, (source + 1) * pixels), position * pixels);
  subsetLabels[position] = labels.data[source];
});

mkdirSync(values.out, { recursive: true });
const imagesPath = join(values.out, 'fashion-mnist-subset-images-idx3-ubyte.gz');
const labelsPath = join(values.out, 'fashion-mnist-subset-labels-idx1-ubyte.gz');
writeIdx(imagesPath, [selected.length, height, width], subsetImages);
writeIdx(labelsPath, [selected.length], subsetLabels);
writeFileSync(join(values.out, 'LICENSE'), readFileSync(join(values.source, 'LICENSE')));
const total = statSync(imagesPath).size + statSync(labelsPath).size;
console.log(`wrote ${selected.length} images (${perClass} per class) to ${values.out}: ${(total / 1e6).toFixed(2)} MB`);
if (total > MAX_BYTES) {
  console.error(`the embedded subset is ${total} bytes, over the ${MAX_BYTES}-byte limit; lower --per-class`);
  process.exit(1);
}
