/**
 * `kubeforge helm`: a Helm chart of the operator in `dist/chart`, made from config/default as
 * `build-installer` renders it (see helm/chart.ts for what the chart's values cover and how
 * its default render relates to the kustomize one). The chart is output, rewritten whole on
 * every run: it is built in a sibling directory and swapped in, so a failure leaves the old
 * chart as it was.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { refreshManifests } from '../deploy/prepare.ts';
import { renderDeployment } from '../deploy/render.ts';
import { buildChart } from '../helm/chart.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';
import { imageOption } from './deploy.ts';

export const DEFAULT_CHART_DIR = 'dist/chart';

export interface HelmOptions {
  readonly cwd: string;
  readonly image: string | undefined;
  readonly outputDir: string;
  readonly output: Output;
}

function projectVersion(root: string): string {
  try {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown })
      .version;
    return typeof version === 'string' && version !== '' ? version : '0.1.0';
  } catch {
    return '0.1.0';
  }
}

export async function writeChart(options: HelmOptions): Promise<string> {
  const project = loadProject(options.cwd);
  options.output.info('Generating manifests...');
  await refreshManifests(project, options.output);
  const objects = await renderDeployment(project, options.image);
  const files = buildChart({ name: project.file.name, version: projectVersion(project.root), objects });
  const dir = isAbsolute(options.outputDir) ? options.outputDir : join(project.root, options.outputDir);
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      mkdirSync(dirname(join(staging, file.path)), { recursive: true });
      writeFileSync(join(staging, file.path), file.contents);
    }
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const shown = relative(options.cwd, dir) || dir;
  options.output.info(
    [
      `Wrote the chart ${shown} (${files.length} files).`,
      `Install it: helm install ${project.file.name} ${shown} --namespace <namespace> --create-namespace`,
    ].join('\n'),
  );
  return dir;
}

interface HelmArgs {
  readonly image: string | undefined;
  readonly 'output-dir': string;
}

export function helmCommand(output: Output): CommandModule<object, HelmArgs> {
  return {
    command: 'helm',
    describe: 'Write a Helm chart of the operator to dist/chart',
    builder: (yargs) =>
      yargs
        .option('image', imageOption)
        .option('output-dir', {
          type: 'string',
          default: DEFAULT_CHART_DIR,
          describe: 'The chart directory (relative to the project root); rewritten whole',
        })
        .example(
          '$0 helm --image ghcr.io/acme/op:v0.1.0',
          'Then: helm install op dist/chart -n op-system --create-namespace',
        )
        .epilogue(
          'The chart is made from config/default: values cover the image, replicas, resources, leader election, the ' +
            'watched namespace, and switch the CRDs, RBAC, metrics and webhook objects on and off. With its default values ' +
            'it renders the kustomize objects; see docs/deploy.md for the exact differences. Run it again after changing ' +
            'config/ or the API types.',
        ),
    handler: async (args) => {
      await writeChart({ cwd: process.cwd(), image: args.image, outputDir: args['output-dir'], output });
    },
  };
}
