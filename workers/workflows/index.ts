// The worker bundles this file: every workflow Junction runs is exported from here.
export { housekeepingWorkflow } from './housekeeping.js';
