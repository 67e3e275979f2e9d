import { Context } from '@temporalio/activity';

/** Heartbeat and cancellation for code that runs inside an activity, and that tests may also call directly. */
export function activityHooks(): { heartbeat: (details?: unknown) => void; signal: AbortSignal | undefined } {
  try {
    const ctx = Context.current();
    return { heartbeat: (details) => ctx.heartbeat(details), signal: ctx.cancellationSignal };
  } catch {
    return { heartbeat: () => undefined, signal: undefined };
  }
}
