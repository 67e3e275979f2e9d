/**
 * Rejects when `promise` has not settled within `ms`, so a service that never starts (or a child that never
 * reports its exit) fails with a message instead of hanging.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message = 'no answer'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          new Error(`${message}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
        );
      },
    );
  });
}
