/**
 * The sample objects in config/samples: one file per kind and version, all listed in the
 * samples kustomization so that `kubectl apply -k config/samples` creates them.
 */
import type { ProjectResource } from '../project/project-file.ts';

/** Project-relative path of the sample object of one version of a kind. */
export function samplePath(api: Pick<ProjectResource, 'group' | 'version' | 'kind'>): string {
  return `config/samples/${api.group}_${api.version}_${api.kind.toLowerCase()}.yaml`;
}

/** config/samples/kustomization.yaml listing the sample of every kind and version. */
export function samplesKustomization(
  resources: readonly Pick<ProjectResource, 'group' | 'version' | 'kind'>[],
): string {
  const files = resources.map((r) => samplePath(r).slice('config/samples/'.length)).sort();
  const header = '# Example objects, one per kind; `kubectl apply -k config/samples` creates them.\n';
  return files.length === 0
    ? `${header}resources: []\n`
    : `${header}resources:\n${files.map((f) => `  - ${f}\n`).join('')}`;
}
