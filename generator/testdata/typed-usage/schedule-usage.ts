/**
 * User code against the generated API of the backup-operator fixture, compiled by
 * compile.test.ts with the strictest settings. Positive uses must compile; each
 * `@ts-expect-error` marks a misuse the generated types must reject (an unused directive is
 * itself an error, so a type that became too loose fails the test).
 */
import type { Client, KubeConfig, SharedInformerFactory } from '@kubeforge/runtime';
import {
  backupScheduleApiVersion,
  backupScheduleInformer,
  backupScheduleObjects,
  backupScheduleResource,
  createBackupScheduleClient,
  isBackupSchedule,
  type BackupSchedule,
  type BackupScheduleApplyConfiguration,
  type NewBackupSchedule,
} from '../generated/backup.example.com/v1/backup-schedule.ts';
import { createBackupScheduleClient as createV1alpha1Client } from '../generated/backup.example.com/v1alpha1/backup-schedule.ts';
import { createVaultClient, vaultInformer, vaultScope } from '../generated/storage.example.com/v1/vault.ts';
import { createInformers, resourceFor, resources, type ResourceKey } from '../generated/index.ts';

type IsAny<T> = 0 extends 1 & T ? true : false;
/** Compiles only when `value` is not `any`. */
function notAny<T>(value: T, ..._proof: IsAny<T> extends true ? [never] : []): T {
  return value;
}

export async function useClients(kubeConfig: KubeConfig): Promise<readonly string[]> {
  const schedules = createBackupScheduleClient(kubeConfig).inNamespace('prod');
  const fresh: NewBackupSchedule = {
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 1 * * *',
      targets: [{ host: 'db', port: 5432, protocol: 'TCP' }],
      destination: { type: 's3', bucket: 'backups' },
    },
  };
  const created = notAny(await schedules.create(fresh));
  const schedule: string = created.spec.schedule;

  // @ts-expect-error -- the spec has no field `cron`
  await schedules.create({ metadata: { name: 'x' }, spec: { ...fresh.spec, cron: '* * * * *' } });

  const merged = await schedules.patch('nightly', { type: 'merge', patch: { spec: { suspend: true } } });
  // @ts-expect-error -- a merge patch is a deep partial of BackupSchedule: suspend is a boolean
  await schedules.patch('nightly', { type: 'merge', patch: { spec: { suspend: 'yes' } } });
  await schedules.patch('nightly', { type: 'json', operations: [{ op: 'remove', path: '/spec/suspend' }] });

  const configuration: BackupScheduleApplyConfiguration = {
    metadata: { name: 'nightly', namespace: 'prod' },
    spec: { schedule: '0 2 * * *' },
  };
  await schedules.apply(configuration, { fieldManager: 'tests', force: true });
  // @ts-expect-error -- an apply configuration names its object
  await schedules.apply({ metadata: {}, spec: { schedule: '0 2 * * *' } });

  const withStatus = { ...merged, status: { ...merged.status, observedGeneration: merged.metadata.generation ?? 0 } };
  await schedules.updateStatus(withStatus);

  const alpha = createV1alpha1Client(kubeConfig).inNamespace('prod');
  // @ts-expect-error -- v1alpha1 has no status subresource, so its client has no updateStatus
  await alpha.updateStatus(await alpha.get('nightly'));

  const vaults = createVaultClient(kubeConfig);
  // @ts-expect-error -- Vault is cluster-scoped: there is no namespaced view
  vaults.inNamespace('prod');
  const vault = notAny(await vaults.get('main'));
  const scope: 'Cluster' = vaultScope;
  const apiVersion: 'backup.example.com/v1' = backupScheduleApiVersion;
  return [schedule, vault.spec.url, scope, apiVersion];
}

export function useCaches(factory: SharedInformerFactory, client: Client, value: unknown): readonly string[] {
  const { informer, lister } = backupScheduleInformer(factory, { namespace: 'prod' });
  informer.addEventHandler({ add: (obj) => void obj.spec.schedule });
  const one: BackupSchedule | undefined = lister.get('prod', 'nightly');
  // @ts-expect-error -- a namespaced lister needs the namespace
  lister.get('nightly');
  const vaultLister = vaultInformer(factory).lister;
  // @ts-expect-error -- a cluster-scoped lister takes only a name
  vaultLister.get('prod', 'main');
  // @ts-expect-error -- a cluster-scoped informer cannot be scoped to a namespace
  vaultInformer(factory, { namespace: 'prod' });

  const typed = createInformers(factory).backupExampleCom.v1.backupSchedules().lister.list('app=db');
  const objects = backupScheduleObjects(client);
  const names = typed.map((s) => s.metadata.name ?? '');
  if (isBackupSchedule(value)) names.push(value.spec.schedule);

  const key: ResourceKey = 'backup.example.com/v1alpha1/BackupSchedule';
  // @ts-expect-error -- a version with `@served false` gets no code
  const unserved: ResourceKey = 'storage.example.com/v1beta1/Vault';
  const plural: 'backupschedules' = resources['backup.example.com/v1/BackupSchedule'].plural;
  const namespaced: true = backupScheduleResource.namespaced;
  // @ts-expect-error -- only this operator's kinds are keys of the registry
  void resources['apps/v1/Deployment'];
  return [...names, one?.spec.schedule ?? '', key, plural, String(namespaced), objects.resource.kind, unserved, resourceFor('x', 'y')?.kind ?? ''];
}
