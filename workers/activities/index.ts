import { createHousekeepingActivities, type HousekeepingDeps } from './housekeeping.js';

export type ActivityDeps = HousekeepingDeps;

/** Every activity the worker registers, built from its dependencies (no module-level state). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHousekeepingActivities(deps),
  };
}
