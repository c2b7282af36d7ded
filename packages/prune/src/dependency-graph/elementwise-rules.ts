// Coupling rules of elementwise ops. Unary ops (Relu, Sigmoid, Dropout, …) carry every axis of
// their input to the output unchanged. Broadcasting binary/variadic ops (Add, Mul, Where, …)
// couple each output axis with the input axes aligned to it from the right that have the same
// size; a size-1 (broadcast) axis is not coupled. A residual Add thereby couples both branches.
import { type Coupling, type CouplingMember, type CouplingRule, type ParameterRole, input, member, output } from './coupling-types.js';
import { IDENTITY } from './index-map.js';

export const UNARY_OPS = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Elu', 'Selu', 'Celu', 'Gelu', 'Softplus',
  'Softsign', 'Mish', 'Erf', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Sign',
  'Sin', 'Cos', 'Identity', 'Cast', 'Dropout', 'Clip', 'ThresholdedRelu', 'Shrink', 'Not', 'IsNaN',
] as const;

export const BROADCAST_OPS = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'PRelu', 'Where', 'Equal', 'Less', 'Greater',
  'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Mod',
] as const;

/** Input 0 and every output of the same rank share each axis. */
export const unaryRule: CouplingRule = (context) => {
  const shape = context.shape(input(0));
  if (!shape) return [];
  const outputs = context.node.outputs
    .map((name, index) => ({ name, index }))
    .filter(({ name, index }) => name !== '' && context.shape(output(index))?.length === shape.length);
  return shape.map((_, axis) => ({
    members: [member(input(0), axis, IDENTITY), ...outputs.map(({ index }) => member(output(index), axis, IDENTITY))],
  }));
};

function roleOf(op: string): ParameterRole {
  return op === 'Add' || op === 'Sub' ? 'bias' : 'other';
}

/** Each output axis with the same-size input axes aligned to it (numpy broadcasting). */
export const broadcastRule: CouplingRule = (context) => {
  const outputShape = context.shape(output(0));
  if (!outputShape) return [];
  const rank = outputShape.length;
  const couplings: Coupling[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const size = outputShape[axis] as number;
    const members: CouplingMember[] = [member(output(0), axis, IDENTITY)];
    context.node.inputs.forEach((name, index) => {
      const shape = name === '' ? undefined : context.shape(input(index));
      if (!shape) return;
      const inputAxis = axis - (rank - shape.length);
      if (inputAxis >= 0 && shape[inputAxis] === size && size !== 1) {
        members.push(member(input(index), inputAxis, IDENTITY, roleOf(context.node.op)));
      }
    });
    couplings.push({ members });
  }
  return couplings;
};
