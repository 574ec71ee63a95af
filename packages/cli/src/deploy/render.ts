/**
 * What `deploy`, `build-installer` and `helm` install: the project's kustomize tree rendered
 * by `kubectl kustomize` (`config/default` for everything, `config/crd` for the CRDs alone),
 * with the operator's image set. The image of the Deployment's `manager` container is the one
 * `config/manager/kustomization.yaml` names unless `--image` overrides it; the scaffold's
 * placeholder (`<project>:latest`, kubebuilder's `controller:latest`) is refused, since no
 * cluster can pull it, with a message saying how to name a real image.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kustomize } from '../cluster/kubectl.ts';
import { parseObjects, type KubeObject } from '../cluster/objects.ts';
import { CliError } from '../errors.ts';
import type { Project } from '../project/project-file.ts';

/** The name of the operator's container in config/manager/manager.yaml. */
export const MANAGER_CONTAINER = 'manager';

export type Tree = 'config/default' | 'config/crd';

/** Renders one kustomization of the project into objects. */
export async function renderTree(project: Project, tree: Tree): Promise<KubeObject[]> {
  const dir = join(project.root, tree);
  if (!existsSync(join(dir, 'kustomization.yaml'))) {
    throw new CliError('InvalidInput', `${tree}/kustomization.yaml does not exist`, {
      hint: 'projects created by `kubeforge init` have it; restore it from version control',
    });
  }
  return parseObjects(await kustomize(dir, tree), `the output of kubectl kustomize ${tree}`);
}

/** The CRDs among `objects`; a project without any cannot be installed. */
export function requireCRDs(objects: readonly KubeObject[]): KubeObject[] {
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  if (crds.length === 0) {
    throw new CliError('MissingPrerequisite', 'the project has no CRDs to install', {
      hint: 'add a kind first: kubeforge create api --group <group> --version v1 --kind <Kind>',
    });
  }
  return crds;
}

interface Container {
  readonly name?: string;
  readonly image?: string;
}

function podContainers(o: KubeObject): readonly Container[] {
  const spec = (o.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec;
  return spec?.containers ?? [];
}

/** The images of the `manager` containers of the rendered Deployments. */
export function managerImages(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => podContainers(o).filter((c) => c.name === MANAGER_CONTAINER))
    .map((c) => c.image ?? '');
}

/** Images the scaffold writes, which point at nothing a cluster can pull. */
export function isPlaceholderImage(image: string, projectName: string): boolean {
  return ['', 'controller', 'controller:latest', projectName, `${projectName}:latest`].includes(image);
}

/**
 * A reference a container runtime accepts: `[registry[:port]/]path[:tag][@digest]`, lowercase
 * path components. Checked here so a typo fails before anything is applied.
 */
export function imageProblem(image: string): string | undefined {
  const pattern =
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
  return pattern.test(image)
    ? undefined
    : 'is not an image reference (expected [registry/]name[:tag][@sha256:digest], lowercase name)';
}

/** `objects` with every manager container running `image` (new objects; the input is untouched). */
export function withImage(objects: readonly KubeObject[], image: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment' || !podContainers(o).some((c) => c.name === MANAGER_CONTAINER)) return o;
    const copy = structuredClone(o) as KubeObject & {
      spec: { template: { spec: { containers: Container[] } } };
    };
    copy.spec.template.spec.containers = copy.spec.template.spec.containers.map((c) =>
      c.name === MANAGER_CONTAINER ? { ...c, image } : c,
    );
    return copy;
  });
}

/**
 * `config/default` with the operator's image: `image` when given, else the one the
 * kustomization names, which must not be the scaffold's placeholder.
 */
export async function renderDeployment(project: Project, image: string | undefined): Promise<KubeObject[]> {
  if (image !== undefined) {
    const problem = imageProblem(image);
    if (problem !== undefined) {
      throw new CliError('InvalidArgument', `--image "${image}" ${problem}`, {
        hint: 'for example --image ghcr.io/acme/my-operator:v0.1.0',
      });
    }
  }
  const objects = await renderTree(project, 'config/default');
  const images = managerImages(objects);
  if (images.length === 0) {
    throw new CliError(
      'InvalidInput',
      `config/default renders no Deployment with a "${MANAGER_CONTAINER}" container`,
      {
        hint: 'config/manager/manager.yaml names the operator container "manager"; restore that name',
      },
    );
  }
  if (image !== undefined) return withImage(objects, image);
  const current = images[0] ?? '';
  if (isPlaceholderImage(current, project.file.name)) {
    throw new CliError(
      'MissingPrerequisite',
      `no image given, and config/manager names the placeholder "${current}"`,
      {
        hint:
          'build and push the operator image, then pass it: --image <registry>/<name>:<tag> (or IMG=...), ' +
          'or record it in config/manager/kustomization.yaml (images: newName and newTag of "controller")',
      },
    );
  }
  return objects;
}
