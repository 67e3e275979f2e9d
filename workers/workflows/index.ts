// The worker bundles this file: every workflow Junction runs is exported from here.
export { housekeepingWorkflow } from './housekeeping.js';
export { provisionPersonWorkflow } from './provision-person.js';
export { provisionTargetWorkflow } from './provision-target.js';
export { reevaluateRoleRulesWorkflow } from './reevaluate-role-rules.js';
export { syncSourceWorkflow } from './sync-source.js';
