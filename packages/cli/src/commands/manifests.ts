/**
 * `kubeforge manifests`: the CRD and RBAC YAML only, without touching generated code.
 * `--stdout` writes them to standard output (and nothing to disk), so
 * `kubeforge manifests --stdout | kubectl apply -f -` installs the CRDs.
 */
import { posix } from 'node:path';
import type { CommandModule } from 'yargs';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { loadGenerator, runManifests } from '../project/generation.ts';
import {
  crdSettingOptions,
  flagsOf,
  resolveCrdSettings,
  type CrdSettingFlags,
} from '../project/crd-settings.ts';
import { loadProject } from '../project/project-file.ts';

export interface ManifestsOptions extends CrdSettingFlags {
  readonly cwd: string;
  readonly outputDir?: string;
  readonly stdout: boolean;
  readonly output: Output;
}

/**
 * The files `--stdout` prints: the CRDs and the RBAC. `config/webhook/` is kustomize input
 * (Components, patches, a configuration naming the in-cluster Service) for `config/default`,
 * not objects to apply as they are.
 */
export function applicableFiles<F extends { readonly path: string }>(files: readonly F[]): F[] {
  return files.filter((f) => !f.path.startsWith('config/webhook/'));
}

/**
 * Joins YAML files into one multi-document stream, CRDs first. Generated files open with
 * comment lines and their own `---`; others get one, so no empty documents appear.
 */
export function yamlStream(files: readonly { readonly path: string; readonly contents: string }[]): string {
  const ordered = [...files].sort((a, b) => {
    const rank = (p: string): number => (p.includes('/crd/') ? 0 : 1);
    return rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
  return ordered
    .map((f) => {
      const text = f.contents.endsWith('\n') ? f.contents : `${f.contents}\n`;
      const firstContent = text.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#'));
      return firstContent === '---' ? text : `---\n${text}`;
    })
    .join('');
}

export async function manifests(options: ManifestsOptions): Promise<void> {
  if (options.stdout && options.outputDir !== undefined) {
    throw new CliError('InvalidArgument', '--stdout and --output-dir cannot be combined', {
      hint: '--stdout prints the YAML and writes nothing; --output-dir writes the CRDs to a directory',
    });
  }
  const project = loadProject(options.cwd);
  let crdDir: string | undefined;
  if (options.outputDir !== undefined) {
    const rel = posix.normalize(options.outputDir.split('\\').join('/'));
    if (rel.startsWith('../') || rel === '..' || posix.isAbsolute(rel)) {
      throw new CliError('InvalidArgument', `--output-dir ${options.outputDir} is outside the project`, {
        hint: 'pass a directory relative to the project root, e.g. --output-dir deploy/crds',
      });
    }
    crdDir = rel;
  }
  const settings = await resolveCrdSettings(project, options);
  const result = await runManifests({
    projectDir: project.root,
    dryRun: options.stdout,
    settings,
    ...(crdDir === undefined ? {} : { crdDir }),
  });
  if (result.diagnostics.length > 0) {
    const { formatDiagnostics } = await loadGenerator();
    options.output.info(formatDiagnostics(result.diagnostics).trimEnd());
  }
  if (options.stdout) {
    const files = applicableFiles(result.files);
    if (files.length === 0) options.output.warn('no manifests: the project has no APIs yet');
    options.output.data(yamlStream(files));
    return;
  }
  const changed = [
    ...result.written.map((p) => `  wrote ${p}`),
    ...result.removed.map((p) => `  removed ${p}`),
  ];
  options.output.info(
    changed.length === 0 ? 'Manifests are up to date.' : ['Manifests:', ...changed].join('\n'),
  );
}

interface ManifestsArgs {
  readonly 'output-dir': string | undefined;
  readonly stdout: boolean;
  readonly 'kube-version': string | undefined;
  readonly 'max-description-length': number | undefined;
}

export function manifestsCommand(output: Output): CommandModule<object, ManifestsArgs> {
  return {
    command: 'manifests',
    describe: 'Generate the CRD and RBAC YAML only',
    builder: (yargs) =>
      yargs
        .option('output-dir', {
          type: 'string',
          describe: 'Directory for the CRD files (default config/crd/bases)',
        })
        .option('stdout', {
          type: 'boolean',
          default: false,
          describe: 'Print the YAML instead of writing files',
        })
        .options(crdSettingOptions)
        .example('$0 manifests', 'Update config/crd/bases and config/rbac/role.yaml')
        .example(
          '$0 manifests --stdout | kubectl apply -f -',
          'Install the CRDs (and the role) into the current cluster',
        )
        .example('$0 manifests --output-dir deploy/crds', 'Write the CRDs somewhere else'),
    handler: async (args) => {
      await manifests({
        cwd: process.cwd(),
        stdout: args.stdout,
        ...(args['output-dir'] === undefined ? {} : { outputDir: args['output-dir'] }),
        ...flagsOf(args),
        output,
      });
    },
  };
}
