/**
 * The control plane a run uses (started once per run, or the KUBECONFIG cluster with
 * KUBEFORGE_USE_EXISTING_CLUSTER=1) and the fixtures scenarios share: the BenchItem CRD,
 * fresh namespaces, bulk creation and cleanup through the bare client (never timed).
 */
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { createBareUndiciClient, runConcurrently, type BareClient } from './bare-client.ts';
import {
  benchItem,
  benchItemCrd,
  benchSecret,
  collectionPath,
  itemName,
  secretsPath,
} from './bench-resource.ts';

export interface BenchCluster {
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
  /** A bare client for fixtures (filling and emptying namespaces); not a contender. */
  readonly fixtures: BareClient;
  newNamespace(prefix: string): Promise<string>;
  /** Creates `count` BenchItems named `item-NNNNN` in `namespace`, as fast as the server allows. */
  fill(namespace: string, count: number): Promise<void>;
  /** Creates `count` Secrets of `dataBytes` bytes of data each in `namespace`. */
  fillSecrets(namespace: string, count: number, dataBytes: number): Promise<void>;
  /**
   * Deletes every BenchItem in `namespace` (one deletecollection request), best effort: a
   * failure (a 504 on tens of thousands of objects) is logged, never fails a scenario, as
   * every run uses a fresh namespace anyway.
   */
  empty(namespace: string): Promise<void>;
  stop(): Promise<void>;
}

const FILL_CONCURRENCY = 32;

export async function startBenchCluster(
  log: (message: string) => void,
  binaryDir: string | undefined,
): Promise<BenchCluster> {
  const started = performance.now();
  const controlPlane: ControlPlane = await startControlPlane(binaryDir === undefined ? {} : { binaryDir });
  log(
    `control plane ${controlPlane.local === undefined ? '(existing cluster)' : controlPlane.local.apiServerUrl} (${controlPlane.serverVersion.gitVersion}) ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  try {
    await installCRDs(controlPlane.kubeConfig, [benchItemCrd]);
    const fixtures = await createBareUndiciClient(controlPlane.kubeConfig);
    return {
      kubeConfig: controlPlane.kubeConfig,
      kubeconfigPath: controlPlane.kubeconfigPath,
      fixtures,
      newNamespace: (prefix) => createNamespace(controlPlane.kubeConfig, `bench-${prefix}`),
      async fill(namespace, count) {
        const path = collectionPath(namespace);
        await runConcurrently(count, FILL_CONCURRENCY, (i) =>
          fixtures.send('POST', path, benchItem(namespace, itemName(i), i)),
        );
      },
      async fillSecrets(namespace, count, dataBytes) {
        const path = secretsPath(namespace);
        await runConcurrently(count, FILL_CONCURRENCY, (i) =>
          fixtures.send('POST', path, benchSecret(namespace, i, dataBytes)),
        );
      },
      async empty(namespace) {
        try {
          await fixtures.send('DELETE', collectionPath(namespace));
        } catch (error) {
          log(
            `warning: could not empty ${namespace}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      },
      async stop() {
        await fixtures.close();
        await controlPlane.stop();
      },
    };
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
}
