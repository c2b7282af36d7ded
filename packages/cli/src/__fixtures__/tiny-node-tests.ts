// Test fixture: writes ONNX node-test folders for z = Relu(x + y) into a temp dir — one whose
// reference output is right and one whose reference output is wrong.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGraph, tensorData } from '@efficientdl/ir';
import { exportOnnx, writeTensorProto } from '@efficientdl/onnx';

const x = [1, -2, 3, -4, 0.5, 6];
const y = [0.5, 1, -5, 2, 0.25, -6];
/** relu(x + y), by hand. */
export const EXPECTED_Z = [1.5, 0, 0, 0, 0.75, 0];

function writeCase(folder: string, expected: number[]): void {
  const graph = createGraph({
    name: 'add_relu',
    inputs: [
      { name: 'x', dtype: 'float32', shape: [2, 3] },
      { name: 'y', dtype: 'float32', shape: [2, 3] },
    ],
    outputs: [{ name: 'z', dtype: 'float32', shape: [2, 3] }],
    nodes: [
      { op: 'Add', inputs: ['x', 'y'], outputs: ['sum'] },
      { op: 'Relu', inputs: ['sum'], outputs: ['z'] },
    ],
  });
  const dataset = join(folder, 'test_data_set_0');
  mkdirSync(dataset, { recursive: true });
  writeFileSync(join(folder, 'model.onnx'), exportOnnx(graph));
  const tensor = (values: number[]) => tensorData('float32', [2, 3], new Float32Array(values));
  writeFileSync(join(dataset, 'input_0.pb'), writeTensorProto('x', tensor(x)));
  writeFileSync(join(dataset, 'input_1.pb'), writeTensorProto('y', tensor(y)));
  writeFileSync(join(dataset, 'output_0.pb'), writeTensorProto('z', tensor(expected)));
}

/** A temp dir with cases/good (correct reference) and cases/bad (z[0] off by 0.01). */
export function writeTinyNodeTests(): string {
  const root = mkdtempSync(join(tmpdir(), 'efficientdl-cli-'));
  writeCase(join(root, 'cases', 'good'), EXPECTED_Z);
  writeCase(join(root, 'cases', 'bad'), [1.51, ...EXPECTED_Z.slice(1)]);
  return root;
}
