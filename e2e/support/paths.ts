/** Where the e2e suite finds the repository, the built CLI and its fixtures. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI as built by `npm run build` (what projects' `npx kubeforge` runs). */
export const kubeforgeBin = join(repoRoot, 'packages/cli/dist/bin/kubeforge.js');
export const testdata = join(repoRoot, 'e2e/testdata');
export const gettingStarted = join(repoRoot, 'docs/getting-started.md');

/**
 * The environment commands run in: Node 24 first on PATH, as under `npm test`, and without
 * the test runner's NODE_TEST_CONTEXT (a nested `node --test` would report to this runner
 * instead of printing its results).
 */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const nodeBin = join(repoRoot, 'node_modules/.bin');
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return { ...env, PATH: `${nodeBin}:${process.env.PATH ?? ''}`, ...extra };
}
