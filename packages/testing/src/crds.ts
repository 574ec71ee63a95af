/** Installing CustomResourceDefinitions for a test and waiting until they are served. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ControlPlaneError } from './errors.ts';

/** A CRD manifest: a path to a YAML file, a directory of YAML files, or a CRD object. */
export type CrdSource = string | V1CustomResourceDefinition;

export interface InstallCrdsOptions {
  /** How long to wait for each CRD to be Established and served; default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Creates (or replaces) each CRD, then waits until it is Established and every served version
 * answers list requests. Returns the installed CRDs as the server stored them.
 */
export async function installCRDs(
  kubeConfig: KubeConfig,
  sources: readonly CrdSource[],
  options: InstallCrdsOptions = {},
): Promise<V1CustomResourceDefinition[]> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const crds = sources.flatMap(loadCrds);
  const installed: V1CustomResourceDefinition[] = [];
  for (const crd of crds) installed.push(await createOrReplace(api, crd));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const crd of installed) await waitUntilServed(kubeConfig, api, crd, deadline);
  return installed;
}

/** Deletes the CRDs (and with them every custom object of those kinds); missing ones are ignored. */
export async function uninstallCRDs(kubeConfig: KubeConfig, sources: readonly CrdSource[]): Promise<void> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const crd of sources.flatMap(loadCrds)) {
    try {
      await api.deleteCustomResourceDefinition({ name: crdName(crd) });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) throw error;
    }
  }
}

function loadCrds(source: CrdSource): V1CustomResourceDefinition[] {
  if (typeof source !== 'string') return [source];
  const paths = statSync(source).isDirectory()
    ? readdirSync(source)
        .filter((file) => ['.yaml', '.yml', '.json'].includes(extname(file)))
        .sort()
        .map((file) => join(source, file))
    : [source];
  return paths.flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8')).flatMap((doc, index) => {
      if (doc.errors.length > 0) {
        throw new ControlPlaneError(
          `${path}: document ${index + 1} is not valid YAML: ${doc.errors[0]?.message ?? ''}`,
        );
      }
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) return [];
      const object = value as V1CustomResourceDefinition;
      if (object.kind !== 'CustomResourceDefinition') {
        throw new ControlPlaneError(
          `${path}: document ${index + 1} is a ${object.kind ?? 'document without kind'}, not a CustomResourceDefinition`,
        );
      }
      return [object];
    }),
  );
}

function crdName(crd: V1CustomResourceDefinition): string {
  const name = crd.metadata?.name;
  if (!name) throw new ControlPlaneError(`CRD for ${crd.spec.names.kind} has no metadata.name`);
  return name;
}

async function createOrReplace(
  api: ApiextensionsV1Api,
  crd: V1CustomResourceDefinition,
): Promise<V1CustomResourceDefinition> {
  try {
    return await api.createCustomResourceDefinition({ body: crd });
  } catch (error) {
    if (!(error instanceof ApiException && error.code === 409)) throw describe(crd, error);
  }
  const current = await api.readCustomResourceDefinition({ name: crdName(crd) });
  const body = structuredClone(crd);
  body.metadata = Object.assign(structuredClone(crd.metadata) ?? {}, {
    resourceVersion: current.metadata?.resourceVersion ?? '',
  });
  try {
    return await api.replaceCustomResourceDefinition({ name: crdName(crd), body });
  } catch (error) {
    throw describe(crd, error);
  }
}

function describe(crd: V1CustomResourceDefinition, error: unknown): ControlPlaneError {
  const detail =
    error instanceof ApiException ? `HTTP ${error.code}: ${bodyMessage(error.body)}` : String(error);
  return new ControlPlaneError(`installing CRD ${crd.metadata?.name ?? '?'} failed: ${detail}`, {
    cause: error,
  });
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return JSON.stringify(body);
}

async function waitUntilServed(
  kubeConfig: KubeConfig,
  api: ApiextensionsV1Api,
  crd: V1CustomResourceDefinition,
  deadline: number,
): Promise<void> {
  const name = crdName(crd);
  const objects = kubeConfig.makeApiClient(CustomObjectsApi);
  let lastState = 'not yet Established';
  while (Date.now() < deadline) {
    const current = await api.readCustomResourceDefinition({ name });
    const established = current.status?.conditions?.some(
      (c) => c.type === 'Established' && c.status === 'True',
    );
    const namesConflict = current.status?.conditions?.find(
      (c) => c.type === 'NamesAccepted' && c.status === 'False',
    );
    if (namesConflict) {
      throw new ControlPlaneError(`CRD ${name}: names not accepted: ${namesConflict.message ?? ''}`);
    }
    if (established) {
      const served = await Promise.all(
        current.spec.versions
          .filter((version) => version.served)
          .map((version) => isServed(objects, current.spec.group, version.name, current.spec.names.plural)),
      );
      if (served.every(Boolean)) return;
      lastState = 'Established but not yet served';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new ControlPlaneError(`CRD ${name} was ${lastState} before the timeout`);
}

async function isServed(
  objects: CustomObjectsApi,
  group: string,
  version: string,
  plural: string,
): Promise<boolean> {
  try {
    await objects.listClusterCustomObject({ group, version, plural, limit: 1 });
    return true;
  } catch (error) {
    if (error instanceof ApiException && (error.code === 404 || error.code === 503)) return false;
    throw error;
  }
}
