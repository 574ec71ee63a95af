/** Installing CustomResourceDefinitions for a test and waiting until they are served. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ControlPlaneError } from './errors.ts';
import { kubeRequest, type HttpResponse } from './http.ts';

/** The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition this module reads. */
export interface CustomResourceDefinition {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly resourceVersion?: string;
    readonly [key: string]: unknown;
  };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string; readonly [key: string]: unknown };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly [key: string]: unknown;
    }[];
    readonly [key: string]: unknown;
  };
  readonly status?: {
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly message?: string;
    }[];
  };
}

/** A CRD manifest: a path to a YAML file, a directory of YAML files, or a CRD object. */
export type CrdSource = string | CustomResourceDefinition;

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
): Promise<CustomResourceDefinition[]> {
  const crds = sources.flatMap(loadCrds);
  const installed: CustomResourceDefinition[] = [];
  for (const crd of crds) installed.push(await createOrReplace(kubeConfig, crd));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const crd of installed) await waitUntilServed(kubeConfig, crd, deadline);
  return installed;
}

/** Deletes the CRDs (and with them every custom object of those kinds); missing ones are ignored. */
export async function uninstallCRDs(kubeConfig: KubeConfig, sources: readonly CrdSource[]): Promise<void> {
  for (const crd of sources.flatMap(loadCrds)) {
    const response = await kubeRequest(kubeConfig, 'DELETE', `${CRDS_PATH}/${crdName(crd)}`);
    if (response.status >= 300 && response.status !== 404)
      throw failure(`deleting CRD ${crdName(crd)}`, response);
  }
}

const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function loadCrds(source: CrdSource): CustomResourceDefinition[] {
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
      const object = value as CustomResourceDefinition;
      if (object.kind !== 'CustomResourceDefinition') {
        throw new ControlPlaneError(
          `${path}: document ${index + 1} is a ${object.kind ?? 'document without kind'}, not a CustomResourceDefinition`,
        );
      }
      return [object];
    }),
  );
}

function crdName(crd: CustomResourceDefinition): string {
  const name = crd.metadata?.name;
  if (!name) throw new ControlPlaneError(`CRD for ${crd.spec.names.kind} has no metadata.name`);
  return name;
}

async function createOrReplace(
  kubeConfig: KubeConfig,
  crd: CustomResourceDefinition,
): Promise<CustomResourceDefinition> {
  const created = await kubeRequest(kubeConfig, 'POST', CRDS_PATH, crd);
  if (created.status < 300) return JSON.parse(created.body) as CustomResourceDefinition;
  if (created.status !== 409) throw failure(`installing CRD ${crdName(crd)}`, created);
  const current = await kubeRequest(kubeConfig, 'GET', `${CRDS_PATH}/${crdName(crd)}`);
  if (current.status >= 300) throw failure(`reading CRD ${crdName(crd)}`, current);
  const { metadata } = JSON.parse(current.body) as CustomResourceDefinition;
  const body = { ...crd, metadata: { ...crd.metadata, resourceVersion: metadata?.resourceVersion } };
  const replaced = await kubeRequest(kubeConfig, 'PUT', `${CRDS_PATH}/${crdName(crd)}`, body);
  if (replaced.status >= 300) throw failure(`replacing CRD ${crdName(crd)}`, replaced);
  return JSON.parse(replaced.body) as CustomResourceDefinition;
}

function failure(what: string, response: HttpResponse): ControlPlaneError {
  let message = response.body;
  try {
    message = (JSON.parse(response.body) as { message?: string }).message ?? response.body;
  } catch {
    // Not a Status body; keep it as it is.
  }
  return new ControlPlaneError(`${what} failed: HTTP ${response.status}: ${message}`);
}

async function waitUntilServed(
  kubeConfig: KubeConfig,
  crd: CustomResourceDefinition,
  deadline: number,
): Promise<void> {
  const name = crdName(crd);
  let lastState = 'not yet Established';
  while (Date.now() < deadline) {
    const response = await kubeRequest(kubeConfig, 'GET', `${CRDS_PATH}/${name}`);
    if (response.status >= 300) throw failure(`reading CRD ${name}`, response);
    const current = JSON.parse(response.body) as CustomResourceDefinition;
    const conditions = current.status?.conditions ?? [];
    const namesConflict = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
    if (namesConflict)
      throw new ControlPlaneError(`CRD ${name}: names not accepted: ${namesConflict.message ?? ''}`);
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) {
      const { group, names } = current.spec;
      const served = await Promise.all(
        current.spec.versions
          .filter((version) => version.served)
          .map(async (version) => {
            const list = await kubeRequest(
              kubeConfig,
              'GET',
              `/apis/${group}/${version.name}/${names.plural}?limit=1`,
            );
            return list.status === 200;
          }),
      );
      if (served.every(Boolean)) return;
      lastState = 'Established but not yet served';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new ControlPlaneError(`CRD ${name} was ${lastState} before the timeout`);
}
