/**
 * Throwaway operator projects for CLI tests: created with `kubeforge init --skip-install`,
 * then given a node_modules that links this checkout's packages (what the offline install
 * produces, in milliseconds), and a snapshot helper to prove a failed command wrote nothing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { baseEnv, kubeforgeBin, repoRoot } from './paths.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in `cwd` (as `npx kubeforge` in a project does). */
export function kubeforge(args: readonly string[], cwd: string, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kubeforgeBin, ...args], {
      cwd,
      env: baseEnv(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kubeforge-${prefix}-`));
}

/** Links the packages a project's installed node_modules would hold. */
export function linkDependencies(project: string): void {
  mkdirSync(join(project, 'node_modules', '@kubeforge'), { recursive: true });
  for (const [name, dir] of [
    ['runtime', 'packages/runtime'],
    ['testing', 'packages/testing'],
    ['generator', 'generator'],
    ['cli', 'packages/cli'],
  ] as const) {
    symlinkSync(join(repoRoot, dir), join(project, 'node_modules', '@kubeforge', name), 'dir');
  }
  for (const name of ['typescript', '@types']) {
    symlinkSync(join(repoRoot, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

/** Every file under `dir` (except node_modules) with its contents. */
export function snapshot(dir: string): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (rel.split('/')[0] === 'node_modules' || !entry.isFile()) continue;
    files.set(rel, readFileSync(path, 'utf8'));
  }
  return files;
}

/**
 * A project `name` in `dir` with one kind (`create api`), its dependencies linked from this
 * checkout; returns its directory.
 */
export async function projectWithKind(
  dir: string,
  name: string,
  group: string,
  kind: string,
): Promise<string> {
  const init = await kubeforge(['init', name, '--domain', 'example.com', '--skip-install'], dir);
  if (init.code !== 0) throw new Error(`kubeforge init failed:\n${init.stderr}`);
  const project = join(dir, name);
  linkDependencies(project);
  const created = await kubeforge(
    ['create', 'api', '--group', group, '--version', 'v1', '--kind', kind],
    project,
  );
  if (created.code !== 0) throw new Error(`kubeforge create api failed:\n${created.stderr}`);
  return project;
}
