/**
 * The CRD emitter: one apiextensions.k8s.io/v1 CustomResourceDefinition per kind with all its
 * versions, at `config/crd/bases/<group>_<plural>.yaml`. Output is byte-identical for the
 * same model and options (sorted keys, no timestamps).
 */
import {
  emittedValidationRule,
  truncateDescription,
  type KindModel,
  type ProjectModel,
  type Schema,
  type VersionModel,
} from '../../model/index.ts';
import type { OutputFile } from '../output-file.ts';
import { fingerprint } from '../fingerprint.ts';
import { toYaml } from '../yaml.ts';
import { baseNamespace, conversionPath, webhookServiceName } from '../webhook/names.ts';
import {
  celMinimumKubeVersion,
  defaultCrdDir,
  defaultKubeVersion,
  kubeVersionAtLeast,
  selectableFieldsMinimumKubeVersion,
  type CrdOptions,
} from './options.ts';

/** The last text rendered for a CRD object, by its fingerprint and header (reused by `generate --watch`). */
const renderedCrds = new Map<string, string>();
const renderedCrdsLimit = 512;

export function emitCrds(model: ProjectModel, options: CrdOptions = {}): OutputFile[] {
  const dir = options.outputDir ?? defaultCrdDir;
  return model.kinds.map((kind) => ({
    path: `${dir}/${crdFileName(kind)}`,
    contents: renderCrd(crdObject(kind, options), `Source: ${sourcesOf(kind)}`),
    ownership: 'generated',
  }));
}

function renderCrd(crd: Record<string, unknown>, header: string): string {
  const key = `${fingerprint(crd)} ${header}`;
  const known = renderedCrds.get(key);
  if (known !== undefined) return known;
  const contents = toYaml(crd, [header]);
  if (renderedCrds.size >= renderedCrdsLimit) renderedCrds.clear();
  renderedCrds.set(key, contents);
  return contents;
}

export function crdFileName(kind: Pick<KindModel, 'group' | 'plural'>): string {
  return `${kind.group}_${kind.plural}.yaml`;
}

export function crdName(kind: Pick<KindModel, 'group' | 'plural'>): string {
  return `${kind.plural}.${kind.group}`;
}

function sourcesOf(kind: KindModel): string {
  return kind.versions.map((v) => `${v.source.file}#${v.source.interfaceName}`).join(', ');
}

/** The CRD as a plain object (what the YAML file holds). */
export function crdObject(kind: KindModel, options: CrdOptions = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(kind),
      ...(kind.labels === undefined ? {} : { labels: kind.labels }),
      ...(kind.annotations === undefined ? {} : { annotations: kind.annotations }),
    },
    spec: {
      group: kind.group,
      names: {
        kind: kind.kind,
        listKind: kind.listKind,
        plural: kind.plural,
        singular: kind.singular,
        ...(kind.shortNames.length > 0 ? { shortNames: kind.shortNames } : {}),
        ...(kind.categories.length > 0 ? { categories: kind.categories } : {}),
      },
      scope: kind.scope,
      versions: kind.versions.map((version) => versionObject(version, options)),
      ...(kind.conversion === undefined ? {} : { conversion: conversionObject(kind.conversion) }),
    },
  };
}

/** `spec.conversion`: the webhook Service's `/convert` path, named as `config/webhook/` names it. */
function conversionObject(conversion: NonNullable<KindModel['conversion']>): Record<string, unknown> {
  if (conversion.strategy === 'None') return { strategy: 'None' };
  return {
    strategy: 'Webhook',
    webhook: {
      clientConfig: { service: { name: webhookServiceName, namespace: baseNamespace, path: conversionPath } },
      conversionReviewVersions: ['v1'],
    },
  };
}

function versionObject(version: VersionModel, options: CrdOptions): Record<string, unknown> {
  const { scale } = version.subresources;
  const subresources = {
    ...(version.subresources.status ? { status: {} } : {}),
    ...(scale ? { scale } : {}),
  };
  return {
    name: version.name,
    served: version.served,
    storage: version.storage,
    ...(version.deprecated ? { deprecated: true } : {}),
    ...(version.deprecationWarning === undefined ? {} : { deprecationWarning: version.deprecationWarning }),
    ...(version.printerColumns.length > 0 ? { additionalPrinterColumns: version.printerColumns } : {}),
    ...(version.selectableFields !== undefined &&
    version.selectableFields.length > 0 &&
    kubeVersionAtLeast(options.kubeVersion ?? defaultKubeVersion, selectableFieldsMinimumKubeVersion)
      ? { selectableFields: version.selectableFields.map((jsonPath) => ({ jsonPath })) }
      : {}),
    ...(Object.keys(subresources).length > 0 ? { subresources } : {}),
    schema: { openAPIV3Schema: finishSchema(version.schema, options) },
  };
}

/**
 * Finished schemas by the options that finished them: a subtree shared between kinds (the
 * built-in schemas of embedded types) stays one object after finishing, which lets the YAML
 * writer render it once.
 */
const finished = new Map<string, WeakMap<Schema, Schema>>();

/** Applies emit-time options to a schema: description caps and CEL for the target version. */
export function finishSchema(schema: Schema, options: CrdOptions): Schema {
  const max = options.maxDescriptionLength;
  const cel = kubeVersionAtLeast(options.kubeVersion ?? defaultKubeVersion, celMinimumKubeVersion);
  const key = `${String(max)}/${String(cel)}`;
  let memo = finished.get(key);
  if (memo === undefined) {
    memo = new WeakMap();
    finished.set(key, memo);
  }
  const done = memo;
  const visit = (s: Schema): Schema => {
    const known = done.get(s);
    if (known) return known;
    const result = finish(s);
    done.set(s, result);
    return result;
  };
  const finish = (s: Schema): Schema => {
    const out: Record<string, unknown> = { ...s };
    if (s.description !== undefined && max !== undefined) {
      const description = truncateDescription(s.description, max);
      if (description === undefined) delete out.description;
      else out.description = description;
    }
    if (!cel) delete out['x-kubernetes-validations'];
    else if (s['x-kubernetes-validations'])
      out['x-kubernetes-validations'] = s['x-kubernetes-validations'].map(emittedValidationRule);
    if (s.properties)
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, visit(v)]));
    if (s.items) out.items = visit(s.items);
    if (s.additionalProperties) out.additionalProperties = visit(s.additionalProperties);
    if (s.anyOf) out.anyOf = s.anyOf.map(visit);
    return out;
  };
  return visit(schema);
}
