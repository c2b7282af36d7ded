// Cost model public surface: analyzeCost and formatCostTable.
export * from './analyze-cost.js';
export * from './format-cost-table.js';
export { nodeMacs } from './node-macs.js';
