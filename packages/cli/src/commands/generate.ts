/**
 * `kubeforge generate`: CRDs, RBAC and typed code from the project's API types.
 * `--check` writes nothing and fails when anything is out of date (for CI); `--watch`
 * regenerates on every save, reusing the loaded TypeScript program between runs so a small
 * change is reported in well under a second.
 */
import { join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { CliError, formatCliError, isCliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { loadGenerator, openSession, runGeneration, type GenerationResult } from '../project/generation.ts';
import { kindHasController, loadProject, type Project } from '../project/project-file.ts';
import { watchTree } from '../project/watch-tree.ts';
import {
  crdSettingOptions,
  flagsOf,
  resolveCrdSettings,
  type CrdSettingFlags,
} from '../project/crd-settings.ts';

export interface GenerateOptions extends CrdSettingFlags {
  readonly cwd: string;
  readonly check: boolean;
  readonly output: Output;
}

export function summary(result: GenerationResult, ms: number): string {
  const scaffolded = new Set(result.scaffolded);
  const changes = [
    ...result.written.map((p) => (scaffolded.has(p) ? `  scaffolded ${p}` : `  wrote ${p}`)),
    ...result.removed.map((p) => `  removed ${p}`),
  ];
  const head =
    changes.length === 0
      ? `Everything is up to date (${ms} ms).`
      : `Generated in ${ms} ms: ${result.written.length} written, ${result.removed.length} removed.`;
  return [head, ...changes].join('\n');
}

export async function reportWarnings(result: GenerationResult, output: Output): Promise<void> {
  if (result.diagnostics.length === 0) return;
  const { formatDiagnostics } = await loadGenerator();
  output.info(formatDiagnostics(result.diagnostics).trimEnd());
}

/**
 * Controllers are scaffolded for kinds that have none, unless the project has kinds created
 * with `create api --no-controller` (those must stay without one).
 */
export function scaffoldsControllers(project: Project): boolean {
  const { resources } = project.file;
  return resources.every((r) => kindHasController(resources, r));
}

export async function generate(options: GenerateOptions): Promise<GenerationResult> {
  const project = loadProject(options.cwd);
  const settings = await resolveCrdSettings(project, options);
  const started = performance.now();
  const result = await runGeneration({
    projectDir: project.root,
    check: options.check,
    scaffold: scaffoldsControllers(project),
    settings,
  });
  await reportWarnings(result, options.output);
  if (options.check) {
    if (result.stale.length > 0) {
      throw new CliError('OutOfDate', `${result.stale.length} generated file(s) are out of date`, {
        details: result.stale.map((p) => `  ${p}`).join('\n'),
        hint: 'run `kubeforge generate` and commit the result',
      });
    }
    options.output.info('Generated files are up to date.');
    return result;
  }
  options.output.info(summary(result, Math.round(performance.now() - started)));
  return result;
}

/** Paths under src/ that can change the generated output (not src/generated itself). */
export function isWatchedSource(path: string): boolean {
  return path.endsWith('.ts') && !path.startsWith('generated/') && !path.endsWith('.d.ts');
}

/** Regenerates on every change under src/ until `signal` aborts. */
export async function watchAndGenerate(
  cwd: string,
  output: Output,
  signal: AbortSignal,
  flags: CrdSettingFlags = {},
): Promise<void> {
  const project = loadProject(cwd);
  const settings = await resolveCrdSettings(project, flags);
  const session = await openSession(project.root);
  const runOnce = async (changedFiles?: readonly string[]): Promise<void> => {
    const started = performance.now();
    try {
      const result = await runGeneration({
        projectDir: project.root,
        scaffold: scaffoldsControllers(project),
        settings,
        session,
        ...(changedFiles === undefined ? {} : { changedFiles }),
      });
      await reportWarnings(result, output);
      output.info(summary(result, Math.round(performance.now() - started)));
    } catch (err) {
      // Keep watching whatever went wrong: the next save may fix it.
      if (isCliError(err)) output.info(formatCliError(err).trimEnd());
      else
        output.info(
          `error: unexpected failure (a kubeforge bug; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
    }
  };
  // Runs never overlap: each change waits for the run before it.
  let runs = Promise.resolve();
  const run = (changedFiles?: readonly string[]): Promise<void> => {
    runs = runs.then(() => runOnce(changedFiles));
    return runs;
  };
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const srcDir = join(project.root, 'src');
  await new Promise<void>((resolve) => {
    const watcher = watchTree(srcDir, {
      include: isWatchedSource,
      includeDir: (dir) => dir !== 'generated' && !dir.startsWith('generated/'),
      onChange: (path) => {
        pending.add(path);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const changed = [...pending];
          pending.clear();
          output.info(`Changed: ${changed.map((p) => relative(project.root, p)).join(', ')}`);
          void run(changed);
        }, 30);
      },
      onError: (err) => {
        output.warn(`watching: ${err.message}`);
      },
    });
    // Watch first, then generate: a save during the first run is picked up after it.
    void run().then(() => {
      output.info('Watching src/ for changes (Ctrl-C to stop)...');
    });
    const stop = (): void => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

interface GenerateArgs {
  readonly check: boolean;
  readonly watch: boolean;
  readonly 'kube-version': string | undefined;
  readonly 'max-description-length': number | undefined;
}

export function generateCommand(output: Output): CommandModule<object, GenerateArgs> {
  return {
    command: 'generate',
    describe: 'Generate CRDs, RBAC and typed code from src/apis',
    builder: (yargs) =>
      yargs
        .option('check', {
          type: 'boolean',
          default: false,
          describe: 'Write nothing; fail if any generated file is out of date',
        })
        .option('watch', {
          type: 'boolean',
          default: false,
          describe: 'Regenerate whenever a file under src/ changes',
        })
        .options(crdSettingOptions)
        .example('$0 generate', 'Update config/crd, config/rbac/role.yaml and src/generated')
        .example(
          '$0 generate --max-description-length 0 --kube-version 1.30',
          'Smaller CRDs without descriptions, for Kubernetes 1.30 and newer',
        )
        .example('$0 generate --check', 'In CI: fail when someone forgot to regenerate')
        .example('$0 generate --watch', 'Keep regenerating while you edit the types')
        .epilogue(
          'Generated files (config/crd/bases, config/rbac/role.yaml, src/generated) are rewritten; your files are never ' +
            'overwritten. A kind without a controller gets one scaffolded and registered in src/main.ts, unless the ' +
            'project has kinds created with `create api --no-controller`. --kube-version and --max-description-length ' +
            'can also be set in kubeforge.json: "generate": { "kubeVersion": "1.30", "maxDescriptionLength": 80 } ' +
            '(a flag wins).',
        ),
    handler: async (args) => {
      if (args.watch && args.check) {
        throw new CliError('InvalidArgument', '--check and --watch cannot be combined', {
          hint: 'use --check in CI to verify, --watch while editing',
        });
      }
      if (args.watch) {
        const controller = new AbortController();
        const stop = (): void => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await watchAndGenerate(process.cwd(), output, controller.signal, flagsOf(args));
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        return;
      }
      await generate({ cwd: process.cwd(), check: args.check, output, ...flagsOf(args) });
    },
  };
}
