/**
 * The step every cluster command takes first: bring config/crd and config/rbac/role.yaml up
 * to date with the API types (as `kubeforge manifests` does), so what is installed is what the
 * code says. Type errors stop the command before anything reaches the cluster.
 */
import { loadGenerator, runManifests } from '../project/generation.ts';
import { resolveCrdSettings } from '../project/crd-settings.ts';
import type { Project } from '../project/project-file.ts';
import type { Output } from '../output.ts';

export async function refreshManifests(project: Project, output: Output): Promise<void> {
  const settings = await resolveCrdSettings(project, {});
  const result = await runManifests({ projectDir: project.root, dryRun: false, settings });
  if (result.diagnostics.length > 0) {
    const { formatDiagnostics } = await loadGenerator();
    output.info(formatDiagnostics(result.diagnostics).trimEnd());
  }
  for (const path of [...result.written, ...result.removed]) output.info(`  updated ${path}`);
}
