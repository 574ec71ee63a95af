/**
 * Third-party CRDs (cert-manager's Certificate, ...) read into the generator's model, so the
 * same emitters that serve owned kinds produce their typed client, lister and informer.
 * Reads `apiextensions.k8s.io/v1` CRDs; `v1beta1` CRDs are reported with a hint to convert.
 * Problems are diagnostics naming the document and field, never exceptions.
 */
import { parseAllDocuments } from 'yaml';
import { DiagnosticSink, type Diagnostic } from '../diagnostics/index.ts';
import type { KindModel, PrinterColumn, Schema, Subresources, VersionModel } from '../model/index.ts';
import { compareKubeVersions } from '../model/index.ts';

/** One CRD document of the input, with where it came from. */
export interface CrdDocument {
  /** 0-based index of the YAML document in the input. */
  readonly index: number;
  readonly object: Readonly<Record<string, unknown>>;
}

export interface CrdReadResult {
  readonly kinds: readonly KindModel[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface CrdReadOptions {
  /** Shown in diagnostics (`file`), e.g. `certificates.yaml` or `<stdin>`. */
  readonly inputName: string;
  /** Project-relative types file of a kind; recorded as its `source.file`. */
  readonly typesFileOf: (kind: {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
  }) => string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Parses YAML (one or more documents, or a `List`) into CRD objects; other kinds are skipped. */
export function parseCrdDocuments(text: string, inputName: string, sink: DiagnosticSink): CrdDocument[] {
  const documents = parseAllDocuments(text);
  const crds: CrdDocument[] = [];
  documents.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const [line, column] = error.linePos?.[0]
          ? [error.linePos[0].line, error.linePos[0].col]
          : [undefined, undefined];
        sink.error('invalid-yaml', `YAML document ${index + 1}: ${error.message.split('\n')[0] ?? ''}`, {
          file: inputName,
          ...(line === undefined ? {} : { line }),
          ...(column === undefined ? {} : { column }),
        });
      }
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const items =
      isRecord(value) && value.kind === 'List' && Array.isArray(value.items)
        ? (value.items as unknown[])
        : [value];
    for (const item of items) {
      if (!isRecord(item) || item.kind !== 'CustomResourceDefinition') continue;
      if (item.apiVersion === 'apiextensions.k8s.io/v1beta1') {
        sink.error(
          'unsupported-crd-version',
          `YAML document ${index + 1} is an apiextensions.k8s.io/v1beta1 CRD`,
          { file: inputName, path: crdName(item) },
          'import the apiextensions.k8s.io/v1 form of the CRD (v1beta1 was removed in Kubernetes 1.22; projects publish v1 manifests)',
        );
        continue;
      }
      if (item.apiVersion !== 'apiextensions.k8s.io/v1') {
        sink.error(
          'unsupported-crd-version',
          `YAML document ${index + 1} has apiVersion ${String(item.apiVersion)}`,
          {
            file: inputName,
          },
          'expected apiextensions.k8s.io/v1',
        );
        continue;
      }
      crds.push({ index, object: item });
    }
  });
  if (crds.length === 0 && !sink.hasErrors) {
    sink.error(
      'no-crds',
      'the input holds no CustomResourceDefinition',
      { file: inputName },
      'pass a YAML file with `kind: CustomResourceDefinition` documents, e.g. the CRD manifest a project publishes',
    );
  }
  return crds;
}

function crdName(object: Readonly<Record<string, unknown>>): string {
  const metadata = object.metadata;
  return isRecord(metadata) ? (str(metadata.name) ?? '<unnamed CRD>') : '<unnamed CRD>';
}

const schemaKeys: readonly (keyof Schema)[] = [
  'type',
  'format',
  'description',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'nullable',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/** Copies the keys the model knows, recursing into sub-schemas; unknown keys are dropped. */
export function toModelSchema(value: unknown): Schema {
  if (!isRecord(value)) return {};
  const out: Record<string, unknown> = {};
  for (const key of schemaKeys) {
    const field = value[key];
    if (field === undefined) continue;
    if (key === 'properties' && isRecord(field)) {
      out.properties = Object.fromEntries(Object.entries(field).map(([k, v]) => [k, toModelSchema(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && isRecord(field)) {
      out[key] = toModelSchema(field);
    } else if (key === 'additionalProperties') {
      // `additionalProperties: true|false` carries no type; the object stays open or closed by default.
      continue;
    } else if (key === 'anyOf' && Array.isArray(field)) {
      out.anyOf = field.map(toModelSchema);
    } else {
      out[key] = field;
    }
  }
  return out;
}

function printerColumns(value: unknown): readonly PrinterColumn[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((c): PrinterColumn[] => {
    const name = str(c.name);
    const jsonPath = str(c.jsonPath);
    const type = c.type;
    const description = str(c.description);
    const format = str(c.format);
    if (name === undefined || jsonPath === undefined) return [];
    if (type !== 'integer' && type !== 'number' && type !== 'string' && type !== 'boolean' && type !== 'date')
      return [];
    return [
      {
        name,
        type,
        jsonPath,
        ...(description === undefined ? {} : { description }),
        ...(format === undefined ? {} : { format }),
        ...(typeof c.priority === 'number' ? { priority: c.priority } : {}),
      },
    ];
  });
}

function subresourcesOf(value: unknown): Subresources {
  if (!isRecord(value)) return { status: false };
  const scale = isRecord(value.scale) ? value.scale : undefined;
  const spec = str(scale?.specReplicasPath);
  const status = str(scale?.statusReplicasPath);
  const selector = str(scale?.labelSelectorPath);
  return {
    status: isRecord(value.status),
    ...(spec !== undefined && status !== undefined
      ? {
          scale: {
            specReplicasPath: spec,
            statusReplicasPath: status,
            ...(selector === undefined ? {} : { labelSelectorPath: selector }),
          },
        }
      : {}),
  };
}

/** One CRD document as a kind of the model; `undefined` (with diagnostics) when malformed. */
export function crdToKind(
  doc: CrdDocument,
  options: CrdReadOptions,
  sink: DiagnosticSink,
): KindModel | undefined {
  const name = crdName(doc.object);
  const where = { file: options.inputName, path: name };
  const spec = isRecord(doc.object.spec) ? doc.object.spec : undefined;
  const names = isRecord(spec?.names) ? spec.names : undefined;
  const group = str(spec?.group);
  const kind = str(names?.kind);
  const plural = str(names?.plural);
  const scope = spec?.scope;
  if (group === undefined || kind === undefined || plural === undefined) {
    sink.error('invalid-crd', `CRD ${name} needs spec.group, spec.names.kind and spec.names.plural`, where);
    return undefined;
  }
  if (scope !== 'Namespaced' && scope !== 'Cluster') {
    sink.error(
      'invalid-crd',
      `CRD ${name} has spec.scope ${String(scope)}; expected Namespaced or Cluster`,
      where,
    );
    return undefined;
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    sink.error('invalid-crd', `CRD ${name} has kind "${kind}", which is not a TypeScript identifier`, where);
    return undefined;
  }
  const rawVersions = Array.isArray(spec?.versions) ? spec.versions.filter(isRecord) : [];
  const versions: VersionModel[] = [];
  for (const v of rawVersions) {
    const versionName = str(v.name);
    if (versionName === undefined) {
      sink.error('invalid-crd', `CRD ${name} has a version without a name`, where);
      continue;
    }
    const validation = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isRecord(validation)) {
      sink.warning(
        'schema-missing',
        `CRD ${name} version ${versionName} has no openAPIV3Schema; its spec and status are typed as open objects`,
        where,
      );
    }
    const schema = toModelSchema(
      validation ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    );
    const deprecationWarning = str(v.deprecationWarning);
    versions.push({
      name: versionName,
      served: v.served !== false,
      storage: v.storage === true,
      deprecated: v.deprecated === true,
      ...(deprecationWarning === undefined ? {} : { deprecationWarning }),
      source: {
        file: options.typesFileOf({ group, version: versionName, kind }),
        interfaceName: kind,
        ...(schema.properties?.spec === undefined ? {} : { specTypeName: `${kind}Spec` }),
        ...(schema.properties?.status === undefined ? {} : { statusTypeName: `${kind}Status` }),
      },
      hasStatus: schema.properties?.status !== undefined,
      subresources: subresourcesOf(v.subresources),
      printerColumns: printerColumns(v.additionalPrinterColumns),
      schema,
    });
  }
  if (versions.length === 0) {
    sink.error('invalid-crd', `CRD ${name} declares no versions`, where);
    return undefined;
  }
  return {
    group,
    kind,
    listKind: str(names?.listKind) ?? `${kind}List`,
    plural,
    singular: str(names?.singular) ?? kind.toLowerCase(),
    shortNames: strings(names?.shortNames),
    categories: strings(names?.categories),
    scope,
    versions: versions.sort((a, b) => compareKubeVersions(a.name, b.name)),
  };
}

/** Reads every CRD of a YAML text into kinds, sorted by group then kind. */
export function readCrds(text: string, options: CrdReadOptions): CrdReadResult {
  const sink = new DiagnosticSink();
  const docs = parseCrdDocuments(text, options.inputName, sink);
  const kinds = docs.flatMap((doc) => crdToKind(doc, options, sink) ?? []);
  kinds.sort((a, b) => (a.group === b.group ? a.kind.localeCompare(b.kind) : a.group.localeCompare(b.group)));
  return { kinds, diagnostics: sink.toArray() };
}
