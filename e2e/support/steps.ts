/**
 * Tests that build on each other, like the steps of a user's journey: after one fails, the
 * rest are skipped (naming the failed step) instead of failing again for the same cause.
 */
import { test } from 'node:test';

/** Returns a `step(name, body)` that registers a test in this sequence. */
export function sequentialSteps(): (name: string, body: () => Promise<void> | void) => void {
  let failedStep: string | undefined;
  return (name, body) => {
    void test(name, async (t) => {
      if (failedStep !== undefined) {
        t.skip(`an earlier step failed: ${failedStep}`);
        return;
      }
      try {
        await body();
      } catch (err) {
        failedStep = name;
        throw err;
      }
    });
  };
}
