/**
 * What the global set-up started. Jest runs set-up and test files in different module registries (often different
 * processes), so the set-up publishes this through an environment variable, which test workers inherit.
 */
export interface HarnessServices {
  /** Maintenance connection to the test PostgreSQL server (creates and drops per-file databases). */
  adminUrl: string;
  /** A database migrated once; each test file copies it (CREATE DATABASE … TEMPLATE). */
  templateDatabase: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** The workflow bundle, built once for all test files. */
  workflowBundlePath: string;
  /** Where test artifacts (screenshots, logs) go. */
  artifactsDir: string;
}

export const SERVICES_ENV = 'JUNCTION_TEST_SERVICES';

export function readServices(): HarnessServices {
  const raw = process.env[SERVICES_ENV];
  if (!raw) {
    throw new Error(
      'test harness: no services; run tests through `npm test` so the global set-up starts PostgreSQL and Temporal',
    );
  }
  return JSON.parse(raw) as HarnessServices;
}
