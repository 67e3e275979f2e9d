export { describeConformance, type DescribeConformanceOptions } from './describe-conformance.js';
export type { ConformanceHarness, ConformanceTarget } from './harness.js';
export { readAll, type ReadAllResult } from './read-all.js';
export { sourcePersonShape, sourceDepartmentShape, targetAccountShape, pageShape } from './shapes.js';
