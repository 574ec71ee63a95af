/**
 * The loop behind `kubeforge run`: generate, install the CRDs, build, start the operator,
 * then on every saved change under src/ do what the change needs and restart it:
 *
 *   change under src/apis/  → regenerate (CRDs, RBAC, typed code) → install the CRDs → build → restart
 *   any other source change → build → restart
 *
 * Changes are collected for a short quiet period and steps never overlap: a change during a
 * rebuild is handled after it. A failed step (a type error, an invalid marker) is reported and
 * the running operator is left alone until the next save fixes it. An operator that exits on
 * its own is reported and restarted on the next change.
 */
import { join, relative } from 'node:path';
import { CliError, formatCliError, isCliError } from '../errors.ts';
import type { Output } from '../output.ts';
import type { Project } from '../project/project-file.ts';
import { watchTree } from '../project/watch-tree.ts';
import type { OperatorProcess } from './operator-process.ts';

/** The steps the loop runs; commands/run.ts supplies the real ones, tests may supply fakes. */
export interface DevSteps {
  /** `changedFiles`: absolute paths of the API files that changed (all of them at the start). */
  generate(changedFiles?: readonly string[]): Promise<void>;
  installCRDs(): Promise<void>;
  build(): Promise<void>;
  start(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): OperatorProcess;
}

/** What a batch of changed files (project-relative POSIX paths) calls for. */
export type ChangePlan = 'regenerate' | 'rebuild' | 'ignore';

export function planFor(paths: readonly string[]): ChangePlan {
  const sources = paths.filter(
    (p) =>
      p.startsWith('src/') && !p.startsWith('src/generated/') && p.endsWith('.ts') && !p.endsWith('.d.ts'),
  );
  if (sources.length === 0) return 'ignore';
  return sources.some((p) => p.startsWith('src/apis/')) ? 'regenerate' : 'rebuild';
}

export interface DevLoopOptions {
  readonly project: Project;
  readonly steps: DevSteps;
  readonly output: Output;
  readonly signal: AbortSignal;
  /** Restart on changes (default true); false runs the operator until it exits or is stopped. */
  readonly watch?: boolean;
  /** Quiet period after the last change before acting (default 150 ms). */
  readonly debounceMs?: number;
}

export async function runDevLoop(options: DevLoopOptions): Promise<void> {
  const { project, steps, output, signal } = options;
  let operator: OperatorProcess | undefined;
  let exitedOnItsOwn: (() => void) | undefined;
  const lastExit: { code: number | null } = { code: null };

  const report = (err: unknown): void => {
    if (isCliError(err)) output.info(formatCliError(err).trimEnd());
    else output.info(`error: ${err instanceof Error ? err.message : String(err)}`);
  };

  const start = (): void => {
    const current = steps.start((code, sig) => {
      if (operator !== current) return;
      operator = undefined;
      lastExit.code = code ?? 1;
      output.info(
        `The operator exited (${sig ?? `code ${String(code)}`}).` +
          (options.watch === false ? '' : ' Save a file under src/ to build and start it again.'),
      );
      exitedOnItsOwn?.();
    });
    operator = current;
    output.info(`Started the operator (pid ${String(current.pid)}).`);
  };

  /** Runs `plan`; returns whether the operator should (re)start. */
  const prepare = async (
    plan: Exclude<ChangePlan, 'ignore'>,
    changed?: readonly string[],
  ): Promise<boolean> => {
    try {
      if (plan === 'regenerate') {
        output.info('Generating...');
        await steps.generate(changed?.map((p) => join(project.root, p)));
        output.info('Installing the CRDs...');
        await steps.installCRDs();
      }
      output.info('Building...');
      await steps.build();
      return true;
    } catch (err) {
      report(err);
      output.info(
        operator === undefined
          ? 'Not started: fix the problem above and save.'
          : 'The operator keeps running the last build: fix the problem above and save.',
      );
      return false;
    }
  };

  const restart = async (): Promise<void> => {
    if (operator !== undefined) {
      output.info('Restarting the operator...');
      const previous = operator;
      operator = undefined;
      await previous.stop();
    }
    if (!signal.aborted) start();
  };

  if (options.watch === false) {
    // Once, as `make run`: a failed step fails the command.
    output.info('Generating...');
    await steps.generate();
    output.info('Installing the CRDs...');
    await steps.installCRDs();
    output.info('Building...');
    await steps.build();
    const exited = new Promise<void>((resolve) => {
      exitedOnItsOwn = resolve;
    });
    start();
    await Promise.race([
      exited,
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    ]);
    await operator?.stop();
    if (lastExit.code !== null && lastExit.code !== 0) {
      throw new CliError('CommandFailed', `the operator exited with code ${String(lastExit.code)}`, {
        hint: 'its log above says why',
      });
    }
    return;
  }

  if (await prepare('regenerate')) await restart();

  let queue = Promise.resolve();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher = watchTree(`${project.root}/src`, {
    include: (path) => path.endsWith('.ts'),
    includeDir: (dir) => dir !== 'generated' && !dir.startsWith('generated/'),
    onChange: (path) => {
      pending.add(relative(project.root, path).split('\\').join('/'));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changed = [...pending].sort();
        pending.clear();
        const plan = planFor(changed);
        if (plan === 'ignore') return;
        queue = queue.then(async () => {
          if (signal.aborted) return;
          output.info(`Changed: ${changed.join(', ')}`);
          if (await prepare(plan, changed)) await restart();
        });
      }, options.debounceMs ?? 150);
    },
    onError: (err) => output.warn(`watching src/: ${err.message}`),
  });
  output.info('Watching src/ for changes (Ctrl-C to stop)...');
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  watcher.close();
  await queue;
  await operator?.stop();
}
