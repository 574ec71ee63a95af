/**
 * The generated typed layer against a real API server: generate for the backup-operator
 * fixture, install its CRDs into the local control plane, load the generated modules with
 * Node's type stripping and drive every verb through them (create, list, merge/JSON/apply
 * patches, status, delete), with the generated informer and lister watching.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  createResourceClient,
  isNotFound,
  type Condition,
  type KubeObject,
  type Manager,
  type ResourceDescriptor,
} from '@kubeforge/runtime';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { generate } from '../../generate-project.ts';
import { generatorDir } from '../../testing/index.ts';
import { createOperatorProject, removeProjects } from './test-project.ts';

interface Env {
  readonly kubeConfig: ControlPlane['kubeConfig'];
  readonly namespace: string;
}

/** The steps of testdata/typed-usage/round-trip.ts (typed there against the generated code). */
interface RoundTrip {
  createAndList(env: Env): Promise<{ typeMeta: string; guard: boolean; listed: string[] }>;
  patchThreeWays(env: Env): Promise<{ merge: boolean; json: string; apply: string; manager: string[] }>;
  updateStatus(env: Env): Promise<{ observedGeneration: number; ready: string; ignored: boolean }>;
  informerAndDelete(
    env: Env,
  ): Promise<{ synced: string[]; added: string; events: string[]; afterDelete: string[]; deleted: string }>;
  clusterScoped(
    env: Env,
  ): Promise<{ listed: string | undefined; phase: string; deleted: string; mismatch: string }>;
}

interface OperatorMain {
  createOperator(options: { kubeConfig: ControlPlane['kubeConfig']; handleSignals: boolean }): Manager;
}

interface Scheduled extends KubeObject {
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

const backupSchedules: ResourceDescriptor = {
  group: 'backup.example.com',
  version: 'v1',
  kind: 'BackupSchedule',
  plural: 'backupschedules',
  namespaced: true,
};

/** Polls `probe` until it returns a value (bounded: 15 s). */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('generated client, informer and lister against the control plane', () => {
  let cp: ControlPlane;
  let env: Env;
  let steps: RoundTrip;

  before(async () => {
    const dir = createOperatorProject('round-trip');
    const report = generate(dir, { scaffold: false });
    assert.equal(report.exitCode, 0, JSON.stringify(report.diagnostics));
    cpSync(
      join(generatorDir, 'testdata', 'typed-usage', 'round-trip.ts'),
      join(dir, 'src', 'controllers', 'round-trip.ts'),
    );
    steps = (await import(pathToFileURL(join(dir, 'src', 'controllers', 'round-trip.ts')).href)) as RoundTrip;
    cp = await startControlPlane();
    await installCRDs(cp.kubeConfig, [join(dir, 'config', 'crd', 'bases')]);
    env = { kubeConfig: cp.kubeConfig, namespace: await createNamespace(cp.kubeConfig, 'round-trip') };
  });
  after(async () => {
    await cp.stop();
    removeProjects();
  });

  it('runs the scaffolded controller registered in main.ts: finalizer, Ready status, cleanup on delete', async () => {
    const dir = createOperatorProject('scaffold-run');
    const report = generate(dir);
    assert.equal(report.scaffolded.length, 2, JSON.stringify(report.diagnostics));
    const main = (await import(pathToFileURL(join(dir, 'src', 'main.ts')).href)) as OperatorMain;
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'error';
    const manager = main.createOperator({ kubeConfig: cp.kubeConfig, handleSignals: false });
    const running = manager.start();
    try {
      const namespace = await createNamespace(cp.kubeConfig, 'scaffold');
      const client = createResourceClient<Scheduled>(cp.kubeConfig, backupSchedules).inNamespace(namespace);
      await client.create({
        metadata: { name: 'hourly' },
        spec: {
          schedule: '0 * * * *',
          targets: [{ host: 'db', port: 5432, protocol: 'TCP' }],
          destination: { type: 'pvc', path: '/backups' },
        },
      });
      const reconciled = await eventually(async () => {
        const current = await client.get('hourly');
        const ready = current.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'True' ? current : undefined;
      });
      assert.deepEqual(reconciled.metadata.finalizers, ['backup.example.com/finalizer']);
      assert.equal(reconciled.status?.observedGeneration, reconciled.metadata.generation);

      await client.delete('hourly');
      await eventually(async () => {
        try {
          await client.get('hourly');
          return undefined;
        } catch (err) {
          if (isNotFound(err)) return true;
          throw err;
        }
      });
    } finally {
      await manager.stop();
      await running;
      process.env.LOG_LEVEL = previousLevel;
    }
  });

  it('creates an object given without apiVersion and kind, and lists it', async () => {
    assert.deepEqual(await steps.createAndList(env), {
      typeMeta: 'backup.example.com/v1 BackupSchedule',
      guard: true,
      listed: ['nightly'],
    });
  });

  it('applies a merge patch, a JSON patch and a server-side apply', async () => {
    const result = await steps.patchThreeWays(env);
    assert.deepEqual([result.merge, result.json, result.apply], [true, '30 2 * * *', '45 3 * * *']);
    assert.ok(result.manager.includes('round-trip-apply'), result.manager.join());
  });

  it('updates the status through the status subresource only', async () => {
    const result = await steps.updateStatus(env);
    assert.ok(result.observedGeneration > 0);
    assert.deepEqual([result.ready, result.ignored], ['True', true]);
  });

  it('shows objects coming and going in the generated informer and lister, and deletes', async () => {
    assert.deepEqual(await steps.informerAndDelete(env), {
      synced: ['nightly'],
      added: '0 4 * * 0',
      events: ['add nightly', 'add weekly', 'delete weekly'],
      afterDelete: ['nightly'],
      deleted: 'deleted',
    });
  });

  it('handles a cluster-scoped kind (lister by name, status, delete) and rejects a client of another kind', async () => {
    assert.deepEqual(await steps.clusterScoped(env), {
      listed: `vault-${env.namespace}`,
      phase: 'Ready',
      deleted: 'deleted',
      mismatch: 'ClientUsageError KindMismatch',
    });
  });
});
