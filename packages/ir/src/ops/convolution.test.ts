// Schema tests for Conv / ConvTranspose / pooling: hand-computed output sizes for pads,
// strides, dilations, groups, auto_pad modes, ceil_mode, and channel/group errors.
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info, shapeOf } from './schema-test-support.js';

const x = (shape: (number | string)[]) => info('float32', shape);

describe('Conv', () => {
  it('computes 2-D output sizes with pads, strides and dilations', () => {
    // (32 + 2 - 3) / 1 + 1 = 32
    expect(shapeOf('Conv', [x([1, 3, 32, 32]), x([8, 3, 3, 3]), x([8])], { attrs: { pads: [1, 1, 1, 1] } })).toEqual([1, 8, 32, 32]);
    // floor((32 + 2 - 3) / 2) + 1 = 16
    expect(shapeOf('Conv', [x([1, 3, 32, 32]), x([8, 3, 3, 3])], { attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } })).toEqual([1, 8, 16, 16]);
    // dilation 2: effective kernel 5 -> 10 - 5 + 1 = 6
    expect(shapeOf('Conv', [x([2, 1, 10, 10]), x([4, 1, 3, 3])], { attrs: { dilations: [2, 2] } })).toEqual([2, 4, 6, 6]);
  });

  it('supports 1-D and 3-D convolutions', () => {
    expect(shapeOf('Conv', [x([1, 2, 9]), x([4, 2, 3])], { attrs: { strides: [2] } })).toEqual([1, 4, 4]);
    expect(shapeOf('Conv', [x([1, 2, 4, 5, 6]), x([3, 2, 1, 2, 3])])).toEqual([1, 3, 4, 4, 4]);
  });

  it('handles auto_pad SAME_UPPER / SAME_LOWER / VALID', () => {
    const inputs = [x([1, 2, 7, 8]), x([4, 2, 3, 3])];
    expect(shapeOf('Conv', inputs, { attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } })).toEqual([1, 4, 4, 4]);
    expect(shapeOf('Conv', inputs, { attrs: { auto_pad: 'SAME_LOWER' } })).toEqual([1, 4, 7, 8]);
    expect(shapeOf('Conv', inputs, { attrs: { auto_pad: 'VALID', strides: [2, 2] } })).toEqual([1, 4, 3, 3]);
    expect(() => infer('Conv', inputs, { attrs: { auto_pad: 'SAME' } })).toThrow(AttributeError);
  });

  it('handles groups and depthwise weights', () => {
    expect(shapeOf('Conv', [x([1, 8, 5, 5]), x([8, 1, 3, 3])], { attrs: { group: 8 } })).toEqual([1, 8, 3, 3]);
    expect(shapeOf('Conv', [x([1, 8, 5, 5]), x([6, 4, 1, 1])], { attrs: { group: 2 } })).toEqual([1, 6, 5, 5]);
  });

  it('keeps symbolic batch and makes symbolic spatial dims fresh', () => {
    const shape = shapeOf('Conv', [x(['N', 3, 'H', 16]), x([8, 3, 3, 3])], { node: 'c1' });
    expect(shape).toEqual(['N', 8, 'c1_dim2', 14]);
  });

  it('rejects channel and group mismatches naming op, node and shapes', () => {
    const error = expectInferError(() => infer('Conv', [x([1, 3, 8, 8]), x([8, 4, 3, 3])], { node: 'conv0' }), ShapeError, 'Conv', 'conv0');
    expect(error.message).toContain('(1, 3, 8, 8)');
    expectInferError(() => infer('Conv', [x([1, 8, 8, 8]), x([6, 2, 3, 3])], { attrs: { group: 4 } }), ShapeError, 'Conv');
    expectInferError(() => infer('Conv', [x([1, 3, 8, 8]), x([8, 3, 3, 3]), x([4])]), ShapeError, 'Conv');
    expectInferError(() => infer('Conv', [x([1, 3, 2, 2]), x([8, 3, 3, 3])]), ShapeError, 'Conv');
    expectInferError(() => infer('Conv', [x([1, 3, 8, 8]), x([8, 3, 3, 3])], { attrs: { kernel_shape: [5, 5] } }), ShapeError, 'Conv');
  });
});

describe('ConvTranspose', () => {
  it('computes stride * (in - 1) + output_padding + kernel - pads', () => {
    // 2 * (4 - 1) + 1 + 3 - 1 - 1 = 8
    const attrs = { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] };
    expect(shapeOf('ConvTranspose', [x([1, 4, 4, 4]), x([4, 3, 3, 3])], { attrs })).toEqual([1, 3, 8, 8]);
    expect(shapeOf('ConvTranspose', [x([1, 4, 4, 4]), x([4, 2, 3, 3])], { attrs: { group: 2 } })).toEqual([1, 4, 6, 6]);
  });

  it('honours output_shape and SAME auto_pad', () => {
    expect(shapeOf('ConvTranspose', [x([1, 4, 4, 4]), x([4, 3, 3, 3])], { attrs: { strides: [2, 2], output_shape: [9, 9] } })).toEqual([1, 3, 9, 9]);
    expect(shapeOf('ConvTranspose', [x([1, 4, 5]), x([4, 3, 3])], { attrs: { strides: [2], auto_pad: 'SAME_UPPER' } })).toEqual([1, 3, 10]);
  });

  it('rejects channel mismatches', () => {
    expectInferError(() => infer('ConvTranspose', [x([1, 5, 4, 4]), x([4, 3, 3, 3])]), ShapeError, 'ConvTranspose');
  });
});

describe('pooling', () => {
  it('MaxPool floor and ceil modes (ONNX/PyTorch last-window rule)', () => {
    const input = [x([1, 1, 5, 5])];
    expect(shapeOf('MaxPool', input, { attrs: { kernel_shape: [2, 2], strides: [2, 2] } })).toEqual([1, 1, 2, 2]);
    expect(shapeOf('MaxPool', input, { attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 } })).toEqual([1, 1, 3, 3]);
    // 6 + 1 - 3 = 4, ceil(4/2)+1 = 3, but window 3 would start at 4*... (3-1)*2 = 4 < 6 + 1, kept -> 3
    expect(shapeOf('MaxPool', [x([1, 1, 6])], { attrs: { kernel_shape: [3], strides: [2], pads: [1, 0], ceil_mode: 1 } })).toEqual([1, 1, 3]);
    // 4 + 1 + 1 - 2 = 4, ceil(4/3)+1 = 3, start (3-1)*3 = 6 >= 4 + 1 -> dropped -> 2
    expect(shapeOf('MaxPool', [x([1, 1, 4])], { attrs: { kernel_shape: [2], strides: [3], pads: [1, 1], ceil_mode: 1 } })).toEqual([1, 1, 2]);
  });

  it('MaxPool dilations, SAME padding and the Indices output', () => {
    expect(shapeOf('MaxPool', [x([1, 1, 7, 7])], { attrs: { kernel_shape: [3, 3], dilations: [2, 2] } })).toEqual([1, 1, 3, 3]);
    const outputs = infer('MaxPool', [x([1, 2, 7, 7])], { attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }, outputCount: 2 });
    expect(outputs).toEqual([
      { dtype: 'float32', shape: [1, 2, 4, 4] },
      { dtype: 'int64', shape: [1, 2, 4, 4] },
    ]);
  });

  it('AveragePool, GlobalAveragePool and errors', () => {
    expect(shapeOf('AveragePool', [x(['N', 3, 8, 8])], { attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 } })).toEqual(['N', 3, 8, 8]);
    expect(shapeOf('GlobalAveragePool', [x(['N', 16, 7, 7])])).toEqual(['N', 16, 1, 1]);
    expect(() => infer('MaxPool', [x([1, 1, 4, 4])])).toThrow(AttributeError);
    expectInferError(() => infer('MaxPool', [x([1, 4, 4])], { attrs: { kernel_shape: [2, 2] } }), ShapeError, 'MaxPool');
    expectInferError(() => infer('AveragePool', [x([4, 4])], { attrs: { kernel_shape: [2] } }), ShapeError, 'AveragePool');
  });
});
