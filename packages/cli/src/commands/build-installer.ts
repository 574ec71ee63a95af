/**
 * `kubeforge build-installer`: everything `deploy` applies, in one file (`dist/install.yaml`)
 * that `kubectl apply -f` installs, as kubebuilder's `make build-installer`. The file is
 * written whole or not at all (a temporary file renamed into place).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { applyOrder, toYamlStream } from '../cluster/objects.ts';
import { refreshManifests } from '../deploy/prepare.ts';
import { renderDeployment } from '../deploy/render.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';
import { imageOption } from './deploy.ts';

export interface BuildInstallerOptions {
  readonly cwd: string;
  readonly image: string | undefined;
  /** Relative to the project root, or absolute. */
  readonly outFile: string;
  readonly output: Output;
}

export const DEFAULT_INSTALLER = 'dist/install.yaml';

export async function buildInstaller(options: BuildInstallerOptions): Promise<string> {
  const project = loadProject(options.cwd);
  options.output.info('Generating manifests...');
  await refreshManifests(project, options.output);
  const objects = applyOrder(await renderDeployment(project, options.image));
  const path = isAbsolute(options.outFile) ? options.outFile : join(project.root, options.outFile);
  const header =
    `# ${project.file.name}: CRDs, RBAC and the operator, rendered from config/default by \`kubeforge build-installer\`.\n` +
    '# Install with: kubectl apply -f install.yaml\n';
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, header + toYamlStream(objects));
  renameSync(temporary, path);
  options.output.info(`Wrote ${relative(options.cwd, path) || path} (${objects.length} objects).`);
  return path;
}

interface BuildInstallerArgs {
  readonly image: string | undefined;
  readonly output: string;
}

export function buildInstallerCommand(output: Output): CommandModule<object, BuildInstallerArgs> {
  return {
    command: 'build-installer',
    describe: 'Write dist/install.yaml: CRDs, RBAC and the operator in one file',
    builder: (yargs) =>
      yargs
        .option('image', imageOption)
        .option('output', {
          alias: 'o',
          type: 'string',
          default: DEFAULT_INSTALLER,
          describe: 'The file to write (relative to the project root)',
        })
        .example(
          '$0 build-installer --image ghcr.io/acme/op:v0.1.0',
          'Then: kubectl apply -f dist/install.yaml',
        )
        .epilogue(
          'Attach dist/install.yaml to a release so users install the operator with one kubectl apply -f <url>.',
        ),
    handler: async (args) => {
      await buildInstaller({ cwd: process.cwd(), image: args.image, outFile: args.output, output });
    },
  };
}
