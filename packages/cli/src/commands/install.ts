/**
 * `kubeforge install` / `uninstall`: the project's CRDs alone (`config/crd`), into or out of
 * the cluster of the current kubeconfig context, as kubebuilder's `make install` /
 * `make uninstall`. The manifests are regenerated first. Uninstalling a CRD deletes every
 * object of its kind.
 */
import type { CommandModule } from 'yargs';
import { applyStream, deleteStream, requireCluster } from '../cluster/kubectl.ts';
import { applyOrder, deleteOrder, toYamlStream } from '../cluster/objects.ts';
import { refreshManifests } from '../deploy/prepare.ts';
import { renderTree, requireCRDs } from '../deploy/render.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';

export interface ClusterCommandOptions {
  readonly cwd: string;
  readonly output: Output;
}

export async function installCRDsCommand(options: ClusterCommandOptions): Promise<void> {
  const project = loadProject(options.cwd);
  options.output.info('Generating manifests...');
  await refreshManifests(project, options.output);
  const crds = requireCRDs(await renderTree(project, 'config/crd'));
  options.output.info(`Installing ${crds.length} CRD(s)...`);
  await requireCluster();
  const applied = await applyStream(toYamlStream(applyOrder(crds)), 'the CRDs');
  options.output.info(applied.trimEnd());
}

export async function uninstallCRDsCommand(options: ClusterCommandOptions): Promise<void> {
  const project = loadProject(options.cwd);
  const crds = requireCRDs(await renderTree(project, 'config/crd'));
  await requireCluster();
  options.output.info(`Deleting ${crds.length} CRD(s) and every object of their kinds...`);
  const deleted = await deleteStream(toYamlStream(deleteOrder(crds)), 'the CRDs');
  options.output.info(
    deleted.trim() === '' ? 'Nothing to delete: the CRDs were not installed.' : deleted.trimEnd(),
  );
}

export function installCommand(output: Output): CommandModule {
  return {
    command: 'install',
    describe: 'Install the CRDs into the cluster of the current kubeconfig context',
    builder: (yargs) =>
      yargs
        .example('$0 install', 'Regenerate and apply config/crd (kubectl apply -k config/crd)')
        .epilogue(
          'Idempotent: run it again after changing the API types. `kubeforge run` does this for you.',
        ),
    handler: () => installCRDsCommand({ cwd: process.cwd(), output }),
  };
}

export function uninstallCommand(output: Output): CommandModule {
  return {
    command: 'uninstall',
    describe: 'Delete the CRDs (and every object of their kinds) from the cluster',
    builder: (yargs) =>
      yargs
        .example('$0 uninstall', 'Delete the CRDs of config/crd; missing ones are skipped')
        .epilogue(
          'Deleting a CRD deletes all its objects. Does not wait for the API server to finish removing them.',
        ),
    handler: () => uninstallCRDsCommand({ cwd: process.cwd(), output }),
  };
}
