/**
 * `kubeforge run`: the operator on this machine against the cluster of the current kubeconfig
 * context, as kubebuilder's `make run` and `pepr dev`: generate, install the CRDs, build, run
 * `node dist/main.js` with the arguments after `--`, and restart it whenever a source file is
 * saved, regenerating and reinstalling the CRDs first when an API type changed (see
 * run/dev-loop.ts). It runs with the kubeconfig's identity, not the operator's ServiceAccount.
 */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { applyStream, requireCluster } from '../cluster/kubectl.ts';
import { applyOrder, toYamlStream } from '../cluster/objects.ts';
import { renderTree } from '../deploy/render.ts';
import type { Output } from '../output.ts';
import { npmCommand, runVisible } from '../process/run.ts';
import { resolveCrdSettings } from '../project/crd-settings.ts';
import { openSession, runGeneration } from '../project/generation.ts';
import { loadProject, type Project } from '../project/project-file.ts';
import type { ProjectSession } from '@kubeforge/generator';
import { startOperator } from '../run/operator-process.ts';
import { runDevLoop, type DevSteps } from '../run/dev-loop.ts';
import { reportWarnings, scaffoldsControllers, summary } from './generate.ts';

export interface RunOptions {
  readonly cwd: string;
  readonly operatorArgs: readonly string[];
  readonly watch: boolean;
  readonly output: Output;
  readonly signal: AbortSignal;
}

function projectSteps(project: Project, options: RunOptions): DevSteps {
  let session: ProjectSession | undefined;
  let warnedNoCRDs = false;
  return {
    async generate(changedFiles) {
      const started = performance.now();
      session ??= await openSession(project.root);
      const result = await runGeneration({
        projectDir: project.root,
        scaffold: scaffoldsControllers(project),
        settings: await resolveCrdSettings(project, {}),
        session,
        ...(changedFiles === undefined ? {} : { changedFiles }),
      });
      await reportWarnings(result, options.output);
      options.output.info(summary(result, Math.round(performance.now() - started)));
    },
    async installCRDs() {
      const crds = (await renderTree(project, 'config/crd')).filter(
        (o) => o.kind === 'CustomResourceDefinition',
      );
      if (crds.length === 0) {
        if (!warnedNoCRDs)
          options.output.warn('the project has no CRDs yet (add a kind: kubeforge create api)');
        warnedNoCRDs = true;
        return;
      }
      options.output.info((await applyStream(toYamlStream(applyOrder(crds)), 'the CRDs')).trimEnd());
    },
    async build() {
      const npm = npmCommand();
      await runVisible({
        command: npm.command,
        args: [...npm.prefix, 'run', '--silent', 'build'],
        cwd: project.root,
        stdout: 'stderr',
        retryHint: 'fix the errors above and save; or run `npm run build` to see them again',
      });
    },
    start(onExit) {
      return startOperator({
        command: process.execPath,
        args: [join(project.root, 'dist/main.js'), ...options.operatorArgs],
        cwd: project.root,
        onExit,
      });
    },
  };
}

export async function run(options: RunOptions): Promise<void> {
  const project = loadProject(options.cwd);
  await requireCluster();
  await runDevLoop({
    project,
    steps: projectSteps(project, options),
    output: options.output,
    signal: options.signal,
    watch: options.watch,
  });
}

interface RunArgs {
  readonly watch: boolean;
  readonly '--'?: readonly (string | number)[];
}

export function runCommand(output: Output): CommandModule<object, RunArgs> {
  return {
    command: 'run',
    describe: 'Run the operator on this machine against the current cluster, restarting it on changes',
    builder: (yargs) =>
      yargs
        .parserConfiguration({ 'populate--': true })
        .option('watch', {
          type: 'boolean',
          default: true,
          describe: 'Rebuild and restart on changes under src/ (--no-watch: run once)',
        })
        .example('$0 run', 'Generate, install the CRDs, build and run; restart on every save')
        .example(
          '$0 run -- --namespace demo --log-level debug',
          'Pass arguments to the operator (src/main.ts)',
        )
        .example('$0 run --no-watch', 'Run once, like `make run`')
        .epilogue(
          'The operator runs with your kubeconfig identity (KUBECONFIG, current context), not its ServiceAccount: ' +
            'use `kubeforge deploy` to run it in the cluster. Saving an API type regenerates the CRDs, RBAC and typed ' +
            'code and reinstalls the CRDs before the restart; a type error keeps the last build running.',
        ),
    handler: async (args) => {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await run({
          cwd: process.cwd(),
          operatorArgs: (args['--'] ?? []).map(String),
          watch: args.watch,
          output,
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    },
  };
}
