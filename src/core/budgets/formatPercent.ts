// Moved to catalog/format.ts with the other formatters; this re-export remains only until
// src/extension/budgetTree.ts imports it from there.
export { formatPercent } from '../catalog/format';
