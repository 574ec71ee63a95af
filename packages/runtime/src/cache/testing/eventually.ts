/**
 * Helpers for tests against the real control plane: poll until a condition holds, with a
 * bounded wait and a message that says what was awaited. Not exported from the package.
 */

export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - start;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries `op` until it succeeds (e.g. across an API server restart); bounded. */
export async function retrying<T>(op: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await op();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await sleep(200);
    }
  }
}
