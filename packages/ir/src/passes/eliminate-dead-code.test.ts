// eliminateDeadCode: drops nodes, initializers and valueInfo no output depends on.
import { describe, expect, it } from 'vitest';
import { createGraph } from '../graph.js';
import { fromNumbers } from '../tensor-data.js';
import { eliminateDeadCode } from './eliminate-dead-code.js';

describe('eliminateDeadCode', () => {
  it('keeps the output cone and removes everything else', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
      initializers: { w: fromNumbers('float32', [2], [1, 2]), dead: fromNumbers('float32', [2], [3, 4]) },
      valueInfo: new Map([
        ['h', { name: 'h', dtype: 'float32', shape: [2] }],
        ['z', { name: 'z', dtype: 'float32', shape: [2] }],
      ]),
      nodes: [
        { name: 'mul', op: 'Mul', inputs: ['x', 'w'], outputs: ['h'] },
        { name: 'side', op: 'Add', inputs: ['h', 'dead'], outputs: ['z'] },
        { name: 'unused', op: 'Neg', inputs: ['z'], outputs: ['q'] },
        { name: 'relu', op: 'Relu', inputs: ['h'], outputs: ['y'] },
      ],
    });
    const result = eliminateDeadCode(graph);
    expect(result.nodes.map((node) => node.name)).toEqual(['mul', 'relu']);
    expect([...result.initializers.keys()]).toEqual(['w']);
    expect([...result.valueInfo.keys()]).toEqual(['h']);
    expect(result.inputs).toEqual(graph.inputs);
    expect(graph.nodes).toHaveLength(4);
  });
});
