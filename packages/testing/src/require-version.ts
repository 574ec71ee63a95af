/** Tests that need a feature of newer Kubernetes releases skip, saying why, on older servers. */
import type { TestContext } from 'node:test';
import type { ControlPlane } from './control-plane.ts';

/**
 * Skips the running test when the server is older than `minimum` and returns true, so the test
 * can return at once:
 *
 * ```ts
 * test('CEL rules are enforced', (t) => {
 *   if (skipUnlessServerAtLeast(t, cp, '1.25', 'CEL validation rules')) return;
 *   ...
 * });
 * ```
 */
export function skipUnlessServerAtLeast(
  t: Pick<TestContext, 'skip'>,
  cp: Pick<ControlPlane, 'serverVersion'>,
  minimum: string,
  feature: string,
): boolean {
  if (cp.serverVersion.atLeast(minimum)) return false;
  t.skip(`${feature} needs Kubernetes >= ${minimum}; this server is ${cp.serverVersion.gitVersion}`);
  return true;
}
