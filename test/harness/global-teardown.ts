/** Stops what the global set-up started, newest first. */
export default async function globalTeardown(): Promise<void> {
  for (const stop of [...(globalThis.junctionHarnessStops ?? [])].reverse()) {
    try {
      await stop();
    } catch (error) {
      process.stderr.write(
        `test harness: teardown: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }
}
