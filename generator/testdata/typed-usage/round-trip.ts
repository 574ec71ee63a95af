/**
 * The round trip of round-trip.test.ts, written as user code against the generated API of
 * the backup-operator fixture (so it is type-checked like user code by compile.test.ts).
 * Each step returns plain data the test asserts on.
 */
import {
  ClientUsageError,
  createResourceClient,
  createSharedInformerFactory,
  setCondition,
  type KubeConfig,
  type ResourceClient,
  type SharedInformerFactory,
} from '@kubeforge/runtime';
import {
  backupScheduleApiVersion,
  backupScheduleInformer,
  backupScheduleResource,
  createBackupScheduleClient,
  isBackupSchedule,
  type BackupSchedule,
  type BackupScheduleClient,
} from '../generated/backup.example.com/v1/backup-schedule.ts';
import {
  asVaultClient,
  createVaultClient,
  vaultInformer,
  type Vault,
} from '../generated/storage.example.com/v1/vault.ts';
import { createInformers } from '../generated/index.ts';

export interface Env {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
}

function schedules(env: Env): BackupScheduleClient {
  return createBackupScheduleClient(env.kubeConfig, { fieldManager: 'round-trip' }).inNamespace(env.namespace);
}

function newSchedule(name: string, schedule: string): Omit<BackupSchedule, 'apiVersion' | 'kind'> {
  return {
    metadata: { name, labels: { app: 'db' } },
    spec: {
      schedule,
      targets: [{ host: 'db', port: 5432, protocol: 'TCP' }],
      destination: { type: 's3', bucket: 'backups' },
    },
  };
}

/** Creates an object without apiVersion/kind and lists it back. */
export async function createAndList(env: Env): Promise<{ typeMeta: string; guard: boolean; listed: string[] }> {
  const created = await schedules(env).create(newSchedule('nightly', '0 1 * * *'));
  const list = await schedules(env).list({ labelSelector: 'app=db' });
  return {
    typeMeta: `${created.apiVersion ?? ''} ${created.kind ?? ''}`,
    guard: isBackupSchedule(created) && created.apiVersion === backupScheduleApiVersion,
    listed: list.items.map((s) => s.metadata.name ?? ''),
  };
}

/** A merge patch, a JSON patch and a server-side apply, each read back. */
export async function patchThreeWays(env: Env): Promise<{ merge: boolean; json: string; apply: string; manager: string[] }> {
  const client = schedules(env);
  const merged = await client.patch('nightly', { type: 'merge', patch: { spec: { suspend: true, labels: { tier: 'gold' } } } });
  const patched = await client.patch('nightly', {
    type: 'json',
    operations: [
      { op: 'test', path: '/spec/suspend', value: true },
      { op: 'replace', path: '/spec/schedule', value: '30 2 * * *' },
    ],
  });
  const applied = await client.apply(
    { metadata: { name: 'nightly', namespace: env.namespace }, spec: { schedule: '45 3 * * *' } },
    { fieldManager: 'round-trip-apply', force: true },
  );
  return {
    merge: merged.spec.suspend === true && merged.spec.labels?.['tier'] === 'gold',
    json: patched.spec.schedule,
    apply: applied.spec.schedule,
    manager: (applied.metadata.managedFields ?? []).map((f) => f.manager ?? '').sort(),
  };
}

/** Writes the status subresource; a status sent with a main-resource update is ignored. */
export async function updateStatus(env: Env): Promise<{ observedGeneration: number; ready: string; ignored: boolean }> {
  const client = schedules(env);
  const current = await client.get('nightly');
  const generation = current.metadata.generation ?? 0;
  const updated = await client.updateStatus({
    ...current,
    status: {
      observedGeneration: generation,
      conditions: setCondition(current.status?.conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'RoundTrip',
        message: 'status written through the generated client',
        observedGeneration: generation,
      }),
    },
  });
  const viaUpdate = await client.update({ ...updated, status: { ...updated.status, observedGeneration: 99 } });
  return {
    observedGeneration: updated.status?.observedGeneration ?? -1,
    ready: updated.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
    ignored: viaUpdate.status?.observedGeneration === generation,
  };
}

function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/** The typed informer and lister see objects come and go; deletes go through the typed client. */
export async function informerAndDelete(
  env: Env,
): Promise<{ synced: string[]; added: string; events: string[]; afterDelete: string[]; deleted: string }> {
  const factory: SharedInformerFactory = createSharedInformerFactory({ kubeConfig: env.kubeConfig });
  try {
    const { informer, lister } = backupScheduleInformer(factory, { namespace: env.namespace });
    const events: string[] = [];
    informer.addEventHandler({
      add: (obj) => void events.push(`add ${obj.metadata.name ?? ''}`),
      delete: (obj) => void events.push(`delete ${obj.metadata.name ?? ''}`),
    });
    factory.start();
    if (!(await factory.waitForCacheSync(AbortSignal.timeout(10_000)))) throw new Error('cache did not sync');
    const synced = lister.list().map((s) => s.metadata.name ?? '');

    await schedules(env).create(newSchedule('weekly', '0 4 * * 0'));
    await waitFor('weekly in the lister', () => lister.get(env.namespace, 'weekly') !== undefined);
    const added = lister.namespace(env.namespace).get('weekly')?.spec.schedule ?? '';

    const result = await schedules(env).delete('weekly');
    await waitFor('weekly gone from the lister', () => lister.get(env.namespace, 'weekly') === undefined);
    const viaFactory = createInformers(factory).backupExampleCom.v1.backupSchedules({ namespace: env.namespace });
    return {
      synced,
      added,
      events,
      afterDelete: viaFactory.lister.list('app=db').map((s) => s.metadata.name ?? ''),
      deleted: result.status,
    };
  } finally {
    await factory.stop();
  }
}

/** The cluster-scoped kind: create, informer lister by name, status, delete. */
export async function clusterScoped(
  env: Env,
): Promise<{ listed: string | undefined; phase: string; deleted: string; mismatch: string }> {
  let mismatch = '';
  try {
    // The types reject a BackupSchedule client here; force one through to check the runtime guard.
    const wrong = createResourceClient(env.kubeConfig, backupScheduleResource) as unknown as ResourceClient<Vault>;
    asVaultClient(wrong);
  } catch (err) {
    mismatch = err instanceof ClientUsageError ? `${err.name} ${err.reason}` : String(err);
  }
  const vaults = createVaultClient(env.kubeConfig);
  const name = `vault-${env.namespace}`;
  const created = await vaults.create({ metadata: { name }, spec: { url: 'https://vault.example.com' } });
  await vaults.updateStatus({ ...created, status: { phase: 'Ready' } });
  const factory = createSharedInformerFactory({ kubeConfig: env.kubeConfig });
  try {
    const { lister } = vaultInformer(factory);
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(10_000));
    const cached = lister.get(name);
    const deleted = await vaults.delete(name);
    return { listed: cached?.metadata.name, phase: cached?.status?.phase ?? '', deleted: deleted.status, mismatch };
  } finally {
    await factory.stop();
  }
}
