import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliError } from '../errors.ts';
import { memoryOutput } from '../output.ts';
import type { Project } from '../project/project-file.ts';
import { planFor, runDevLoop, type DevSteps } from './dev-loop.ts';

test('a change to an API type regenerates before the rebuild', () => {
  assert.equal(
    planFor(['src/controllers/a.controller.ts', 'src/apis/web.example.com/v1/site.ts']),
    'regenerate',
  );
});

test('any other source change only rebuilds', () => {
  assert.equal(planFor(['src/controllers/a.controller.ts']), 'rebuild');
  assert.equal(planFor(['src/main.ts', 'src/webhooks/site-v1.validating.ts']), 'rebuild');
});

test('generated code, declarations and other files restart nothing', () => {
  assert.equal(
    planFor(['src/generated/web.example.com/v1/site.ts', 'src/types.d.ts', 'src/notes.md']),
    'ignore',
  );
});

/** Steps that record what ran; `control.failBuild` makes the next builds throw. */
function fakeSteps(): {
  readonly steps: DevSteps;
  readonly log: string[];
  readonly control: { failBuild: boolean };
  readonly exit: (code: number) => void;
} {
  const log: string[] = [];
  const control = { failBuild: false };
  let pid = 0;
  let onExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const steps: DevSteps = {
    generate: async (changed) => {
      log.push(`generate${changed === undefined ? '' : ` ${changed.length}`}`);
      await Promise.resolve();
    },
    installCRDs: async () => {
      log.push('install');
      await Promise.resolve();
    },
    build: async () => {
      log.push('build');
      await Promise.resolve();
      if (control.failBuild) throw new CliError('CommandFailed', 'tsc failed');
    },
    start: (exit) => {
      pid += 1;
      const current = pid;
      log.push(`start ${current}`);
      onExit = exit;
      return {
        pid: current,
        stop: async () => {
          log.push(`stop ${current}`);
          await Promise.resolve();
        },
      };
    },
  };
  return { steps, log, control, exit: (code) => onExit?.(code, null) };
}

function projectDir(): { readonly project: Project; readonly cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kubeforge-dev-loop-'));
  mkdirSync(join(root, 'src/controllers'), { recursive: true });
  mkdirSync(join(root, 'src/apis/web.example.com/v1'), { recursive: true });
  const project: Project = {
    root,
    file: { version: 1, name: 'op', domain: 'example.com', resources: [], imports: [] },
  };
  return {
    project,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('--no-watch runs the steps once in order and fails with the exit code of the operator', async () => {
  const { project, cleanup } = projectDir();
  const { steps, log, exit } = fakeSteps();
  try {
    const loop = runDevLoop({
      project,
      steps,
      output: memoryOutput(),
      signal: new AbortController().signal,
      watch: false,
    });
    await until(() => log.includes('start 1'), 'the start');
    exit(3);
    await assert.rejects(loop, /the operator exited with code 3/);
    assert.deepEqual(log, ['generate', 'install', 'build', 'start 1']);
  } finally {
    cleanup();
  }
});

test('a saved controller rebuilds, stops the old operator, then starts the new one; a failed build keeps it', async () => {
  const { project, cleanup } = projectDir();
  const { steps, log, control } = fakeSteps();
  const stop = new AbortController();
  const output = memoryOutput();
  try {
    const loop = runDevLoop({ project, steps, output, signal: stop.signal, debounceMs: 20 });
    await until(() => output.lines.some((l) => l.startsWith('Watching src/')), 'the watch');
    writeFileSync(join(project.root, 'src/controllers/a.controller.ts'), 'export {};\n');
    await until(() => log.includes('start 2'), 'the restart');
    assert.deepEqual(log.slice(4), ['build', 'stop 1', 'start 2']);
    control.failBuild = true;
    writeFileSync(join(project.root, 'src/controllers/a.controller.ts'), 'export const a = 1;\n');
    await until(() => output.lines.some((l) => l.startsWith('The operator keeps running')), 'the report');
    assert.equal(log.at(-1), 'build');
    control.failBuild = false;
    writeFileSync(join(project.root, 'src/apis/web.example.com/v1/site.ts'), 'export interface Site {}\n');
    await until(() => log.includes('start 3'), 'the restart after an API change');
    assert.deepEqual(log.slice(-5), ['generate 1', 'install', 'build', 'stop 2', 'start 3']);
    stop.abort();
    await loop;
    assert.equal(log.at(-1), 'stop 3');
  } finally {
    stop.abort();
    cleanup();
  }
});
