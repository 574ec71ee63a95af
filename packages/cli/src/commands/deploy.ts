/**
 * `kubeforge deploy` / `undeploy`: the whole operator (`config/default`: namespace, CRDs,
 * RBAC, the Deployment, and the webhook and metrics pieces the tree includes) applied to or
 * deleted from the cluster of the current kubeconfig context, with the operator's image set by
 * `--image` (see deploy/render.ts). Deploy applies (idempotent), Namespaces and CRDs first;
 * undeploy deletes in the reverse order and skips objects that are already gone.
 */
import type { CommandModule } from 'yargs';
import { applyStream, deleteStream, requireCluster } from '../cluster/kubectl.ts';
import { applyOrder, deleteOrder, toYamlStream } from '../cluster/objects.ts';
import { refreshManifests } from '../deploy/prepare.ts';
import { renderDeployment, renderTree } from '../deploy/render.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';

export interface DeployOptions {
  readonly cwd: string;
  readonly image: string | undefined;
  readonly output: Output;
}

export async function deploy(options: DeployOptions): Promise<void> {
  const project = loadProject(options.cwd);
  options.output.info('Generating manifests...');
  await refreshManifests(project, options.output);
  options.output.info('Rendering config/default...');
  const objects = applyOrder(await renderDeployment(project, options.image));
  await requireCluster();
  options.output.info(`Applying ${objects.length} object(s)...`);
  options.output.info((await applyStream(toYamlStream(objects), 'config/default')).trimEnd());
}

export async function undeploy(options: { readonly cwd: string; readonly output: Output }): Promise<void> {
  const project = loadProject(options.cwd);
  const objects = deleteOrder(await renderTree(project, 'config/default'));
  await requireCluster();
  options.output.info(`Deleting ${objects.length} object(s) of config/default...`);
  const deleted = await deleteStream(toYamlStream(objects), 'config/default');
  options.output.info(
    deleted.trim() === '' ? 'Nothing to delete: the operator was not deployed.' : deleted.trimEnd(),
  );
}

interface DeployArgs {
  readonly image: string | undefined;
}

export const imageOption = {
  type: 'string',
  default: process.env.IMG === '' ? undefined : process.env.IMG,
  defaultDescription: '$IMG, else config/manager/kustomization.yaml',
  describe: 'The operator image, e.g. ghcr.io/acme/my-operator:v0.1.0',
} as const;

export function deployCommand(output: Output): CommandModule<object, DeployArgs> {
  return {
    command: 'deploy',
    describe: 'Deploy the operator (config/default) to the cluster of the current kubeconfig context',
    builder: (yargs) =>
      yargs
        .option('image', imageOption)
        .example('$0 deploy --image ghcr.io/acme/my-operator:v0.1.0', 'Apply CRDs, RBAC and the Deployment')
        .example(
          'IMG=registry.local/op:dev $0 deploy',
          'The image from the environment, as `make deploy IMG=...`',
        )
        .epilogue(
          'Regenerates the manifests, renders config/default with kubectl kustomize, sets the image of the "manager" ' +
            'container and applies the result (Namespaces and CRDs first). Safe to run again. Build and push the image ' +
            'first (see `kubeforge image-context`).',
        ),
    handler: (args) => deploy({ cwd: process.cwd(), image: args.image, output }),
  };
}

export function undeployCommand(output: Output): CommandModule {
  return {
    command: 'undeploy',
    describe: 'Delete everything `kubeforge deploy` created, CRDs included',
    builder: (yargs) =>
      yargs
        .example('$0 undeploy', 'Delete the objects of config/default; missing ones are skipped')
        .epilogue(
          'Deleting the CRDs deletes every object of their kinds. Does not wait for the namespace to finish terminating.',
        ),
    handler: () => undeploy({ cwd: process.cwd(), output }),
  };
}
