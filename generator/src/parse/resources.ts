/**
 * Finds `@resource` interfaces under `src/apis/<group>/<version>/` and turns each into a
 * version of a kind: names, scope, subresources, printer columns and the root schema. Kinds
 * are assembled from their versions here too (one storage version, agreeing names, a
 * conversion when their schemas differ).
 */
import { ts } from 'ts-morph';
import {
  compareKubeVersions,
  isKubeVersion,
  type KindModel,
  type Schema,
  type Scope,
  type TypeSource,
  type VersionModel,
} from '../model/index.ts';
import type { MarkerSet } from '../markers/index.ts';
import { defaultPlural, isValidGroup } from './names.ts';
import {
  checkPrinterColumns,
  checkSelectableFields,
  crdMetadataOf,
  mergeCrdMetadata,
  parseSubresources,
  type CrdMetadata,
} from './resource-markers.ts';
import { SchemaBuilder, type Site } from './schema-builder.ts';
import { readStatusFields } from './status-fields.ts';
import type { SourceContext } from './source-context.ts';
import { reportStorageVersions } from './storage-version.ts';
import { resolveConversion, type ConversionCandidate } from './conversion.ts';

const apiFilePattern = /^src\/apis\/([^/]+)\/([^/]+)\/(?:[^/]+\/)*[^/]+\.ts$/;

/** A parsed version before it is grouped into its kind. */
interface VersionCandidate {
  readonly group: string;
  readonly kind: string;
  readonly names: {
    readonly plural: string;
    readonly singular: string;
    readonly shortNames: readonly string[];
    readonly categories: readonly string[];
    readonly scope: Scope;
  };
  readonly storageMarked: boolean;
  readonly version: Omit<VersionModel, 'storage'>;
  readonly crdMetadata: CrdMetadata;
  readonly conversion?: NonNullable<ConversionCandidate['conversion']>;
  readonly node: ts.Node;
}

const apiVersionDescription =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const kindDescription =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.';

export function isApiFile(relativePath: string): boolean {
  return (
    apiFilePattern.test(relativePath) && !relativePath.endsWith('.d.ts') && !relativePath.endsWith('.test.ts')
  );
}

export function collectKinds(ctx: SourceContext, files: readonly ts.SourceFile[]): readonly KindModel[] {
  const builder = new SchemaBuilder(ctx);
  const candidates: VersionCandidate[] = [];
  for (const file of files) {
    const match = apiFilePattern.exec(ctx.relativePath(file.fileName));
    if (!match) continue;
    const [, group = '', version = ''] = match;
    for (const statement of file.statements) {
      const isInterface = ts.isInterfaceDeclaration(statement);
      if (!isInterface && !ts.isTypeAliasDeclaration(statement) && !ts.isClassDeclaration(statement))
        continue;
      if (!statement.name) continue;
      const path = statement.name.text;
      const doc = ctx.doc(statement, ['resource', 'field'], path);
      if (!doc.markers.has('resource')) continue;
      if (!isInterface) {
        ctx.sink.error(
          'invalid-resource',
          '@resource must be on an exported interface',
          { ...ctx.location(statement.name), path },
          'declare the resource with `export interface`',
        );
        continue;
      }
      let candidate: VersionCandidate | undefined;
      try {
        candidate = parseVersion(ctx, builder, statement, group, version, doc.markers, doc.description);
      } catch (error) {
        // A generator bug must not hide the user's other diagnostics: report it where it happened.
        ctx.sink.error(
          'internal-error',
          `the generator failed on ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          { ...ctx.location(statement.name), path },
          'please report this together with the type that triggers it',
        );
      }
      if (candidate) candidates.push(candidate);
    }
  }
  return assembleKinds(ctx, candidates);
}

function parseVersion(
  ctx: SourceContext,
  builder: SchemaBuilder,
  declaration: ts.InterfaceDeclaration,
  group: string,
  version: string,
  markers: MarkerSet,
  description: string,
): VersionCandidate | undefined {
  const kind = declaration.name.text;
  const where = { ...ctx.location(declaration.name), path: kind };
  let ok = true;
  if (!declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
    ctx.sink.error('invalid-resource', `${kind} is marked @resource but not exported`, where, 'add `export`');
    ok = false;
  }
  if (!isValidGroup(group)) {
    ctx.sink.error(
      'invalid-group',
      `API group "${group}" (the folder under src/apis/) must be a lowercase DNS name with at least one dot`,
      where,
      'e.g. src/apis/backup.example.com/v1/',
    );
    ok = false;
  }
  if (!isKubeVersion(version)) {
    ctx.sink.error(
      'invalid-version',
      `API version "${version}" (the folder under the group) must look like v1, v1beta1 or v2alpha3`,
      where,
    );
    ok = false;
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    ctx.sink.error('invalid-resource', `kind ${kind} must be UpperCamelCase letters and digits`, where);
    ok = false;
  }
  const checker = ctx.checker;
  const type = checker.getTypeAtLocation(declaration.name);
  const property = (name: string): ts.Symbol | undefined => checker.getPropertyOfType(type, name);
  const metadata = property('metadata');
  const metadataType = metadata && checker.getNonNullableType(checker.getTypeOfSymbol(metadata));
  const metadataSymbol = metadataType?.aliasSymbol ?? metadataType?.getSymbol();
  const metadataDeclaration = metadataSymbol?.declarations?.[0];
  if (
    !metadataDeclaration ||
    metadataSymbol.name !== 'ObjectMeta' ||
    !ctx.isRuntimeDeclaration(metadataDeclaration)
  ) {
    ctx.sink.error(
      'invalid-resource',
      `${kind} needs \`metadata: ObjectMeta\``,
      where,
      "import type { ObjectMeta } from '@kubeforge/runtime/api'",
    );
    ok = false;
  }
  const spec = property('spec');
  if (!spec) {
    ctx.sink.error(
      'invalid-resource',
      `${kind} needs a \`spec\` property`,
      where,
      'declare the desired state as `spec: <Kind>Spec`',
    );
    ok = false;
  }
  checkTypeMetaLiteral(ctx, checker, property('kind'), kind, kind, where);
  checkTypeMetaLiteral(ctx, checker, property('apiVersion'), `${group}/${version}`, kind, where);

  const site: Site = { path: kind, node: declaration.name };
  const converted = builder.objectSchema(type, undefined, site, { objectRoot: true });
  if (!converted || !ok) return undefined;
  const schema = rootSchema(builder.applyMarkers(converted, markers, declaration, site), description);

  const plural = markers.get('plural') ?? defaultPlural(kind);
  const subresources = parseSubresources(ctx, markers, schema, declaration, kind);
  checkStatusOptional(ctx, checker, property('status'), subresources.status, kind, where);
  const printerColumns = checkPrinterColumns(ctx, schema, declaration, markers, kind);
  const selectableFields = checkSelectableFields(ctx, schema, declaration, markers, kind);
  const deprecated = markers.has('deprecated');
  const warning = markers.get('deprecated');
  const source: TypeSource = {
    file: ctx.relativePath(declaration.getSourceFile().fileName),
    interfaceName: kind,
    ...namedType('specTypeName', declaration, 'spec'),
    ...namedType('statusTypeName', declaration, 'status'),
  };
  return {
    group,
    kind,
    names: {
      plural,
      singular: markers.get('singular') ?? kind.toLowerCase(),
      shortNames: [...markers.getAll('shortName')].sort(),
      categories: [...markers.getAll('category')].sort(),
      scope: markers.get('scope') ?? 'Namespaced',
    },
    storageMarked: markers.has('storageVersion'),
    crdMetadata: crdMetadataOf(ctx, declaration, markers, kind),
    ...conversionOf(markers),
    node: declaration.name,
    version: {
      name: version,
      served: markers.get('served') ?? true,
      deprecated,
      ...(warning === undefined ? {} : { deprecationWarning: warning }),
      source,
      hasStatus: schema.properties?.status !== undefined,
      statusFields: readStatusFields(ctx, property('status'), schema.properties?.status),
      subresources,
      printerColumns,
      ...(selectableFields.length > 0 ? { selectableFields } : {}),
      schema,
      ...webhooksOf(markers),
    },
  };
}

function conversionOf(markers: MarkerSet): Pick<VersionCandidate, 'conversion'> {
  const value = markers.get('conversion');
  const offset = markers.offsetOf('conversion');
  return value === undefined || offset === undefined ? {} : { conversion: { value, offset } };
}

function webhooksOf(markers: MarkerSet): Pick<VersionModel, 'webhooks'> {
  const defaulting = markers.get('defaulting');
  const validating = markers.get('validating');
  if (defaulting === undefined && validating === undefined) return {};
  return {
    webhooks: {
      ...(defaulting === undefined ? {} : { defaulting }),
      ...(validating === undefined ? {} : { validating }),
    },
  };
}

function rootSchema(schema: Schema, description: string): Schema {
  const properties = {
    ...schema.properties,
    apiVersion: { type: 'string', description: apiVersionDescription },
    kind: { type: 'string', description: kindDescription },
    metadata: { type: 'object' },
  } satisfies Record<string, Schema>;
  const required = (schema.required ?? []).filter((p) => !['apiVersion', 'kind', 'metadata'].includes(p));
  const { required: _required, ...rest } = schema;
  return {
    ...rest,
    ...(description ? { description } : {}),
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

function checkTypeMetaLiteral(
  ctx: SourceContext,
  checker: ts.TypeChecker,
  symbol: ts.Symbol | undefined,
  expected: string,
  kind: string,
  where: ReturnType<SourceContext['location']> & { path: string },
): void {
  if (!symbol) return;
  const type = checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
  if (type.flags & ts.TypeFlags.String) return;
  const actual = type.flags & ts.TypeFlags.StringLiteral ? (type as ts.StringLiteralType).value : undefined;
  if (actual !== expected) {
    const declaration = symbol.valueDeclaration;
    const location =
      declaration && ctx.isProjectFile(declaration.getSourceFile()) ? ctx.location(declaration) : where;
    ctx.sink.error(
      'invalid-resource',
      `${kind}.${symbol.name} must be \`string\` or the literal '${expected}'`,
      { ...location, path: `${kind}.${symbol.name}` },
    );
  }
}

/**
 * A required `status` makes objects without one invalid; with the status subresource the API
 * server drops `status` on create, so every create would fail.
 */
function checkStatusOptional(
  ctx: SourceContext,
  checker: ts.TypeChecker,
  symbol: ts.Symbol | undefined,
  subresource: boolean,
  kind: string,
  where: ReturnType<SourceContext['location']> & { path: string },
): void {
  if (!symbol || symbol.flags & ts.SymbolFlags.Optional) return;
  const type = checker.getTypeOfSymbol(symbol);
  if (
    type.flags & ts.TypeFlags.Union &&
    (type as ts.UnionType).types.some((t) => t.flags & ts.TypeFlags.Undefined)
  ) {
    return;
  }
  const declaration = symbol.valueDeclaration;
  const location = {
    ...(declaration && ctx.isProjectFile(declaration.getSourceFile()) ? ctx.location(declaration) : where),
    path: `${kind}.status`,
  };
  const hint = 'declare it optional: `status?: ...`';
  if (subresource) {
    ctx.sink.error(
      'required-status',
      'status must be optional: with the status subresource the API server drops status on create, so every create would fail',
      location,
      hint,
    );
  } else {
    ctx.sink.warning(
      'required-status',
      'a required status makes every object created without one invalid',
      location,
      hint,
    );
  }
}

function namedType(
  key: 'specTypeName' | 'statusTypeName',
  declaration: ts.InterfaceDeclaration,
  property: string,
): Partial<Record<typeof key, string>> {
  const member = declaration.members.find(
    (m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText() === property,
  );
  const node = member?.type;
  if (node && ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && !node.typeArguments) {
    return { [key]: node.typeName.text };
  }
  return {};
}

/** Groups versions into kinds: names agree, exactly one storage version. */
function assembleKinds(ctx: SourceContext, candidates: readonly VersionCandidate[]): readonly KindModel[] {
  const byKind = new Map<string, VersionCandidate[]>();
  for (const candidate of candidates) {
    const key = `${candidate.group}/${candidate.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), candidate]);
  }
  const kinds: KindModel[] = [];
  const plurals = new Map<string, string>();
  for (const [, versions] of [...byKind.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    versions.sort((a, b) => compareKubeVersions(a.version.name, b.version.name));
    const first = versions[0];
    if (first === undefined) continue;
    let ok = true;
    const seen = new Set<string>();
    for (const candidate of versions) {
      const where = { ...ctx.location(candidate.node), path: candidate.kind };
      if (seen.has(candidate.version.name)) {
        ctx.sink.error(
          'duplicate-kind',
          `${candidate.kind} is declared twice in ${candidate.group}/${candidate.version.name}`,
          where,
        );
        ok = false;
      }
      seen.add(candidate.version.name);
      if (JSON.stringify(candidate.names) !== JSON.stringify(first.names)) {
        ctx.sink.error(
          'inconsistent-versions',
          `${candidate.kind} ${candidate.version.name} declares different names or scope than ${first.version.name} (@plural, @singular, @shortName, @category, @scope must agree across versions)`,
          where,
        );
        ok = false;
      }
    }
    const marked = versions.filter((v) => v.storageMarked);
    let storage: string | undefined;
    if (versions.length === 1) storage = first.version.name;
    else if (marked.length === 1) storage = marked[0]?.version.name;
    else {
      reportStorageVersions(ctx, versions, marked);
      ok = false;
    }
    const pluralKey = `${first.group}/${first.names.plural}`;
    if (plurals.has(pluralKey)) {
      ctx.sink.error(
        'duplicate-kind',
        `${first.kind} and ${plurals.get(pluralKey) ?? ''} have the same plural ${first.names.plural} in ${first.group}`,
        { ...ctx.location(first.node), path: first.kind },
        'set @plural on one of them',
      );
      ok = false;
    }
    plurals.set(pluralKey, first.kind);
    const metadata = mergeCrdMetadata(versions.map((v) => v.crdMetadata));
    if ('conflict' in metadata) {
      const other = versions[metadata.version] ?? first;
      ctx.sink.error(
        'inconsistent-versions',
        `the versions of ${first.kind} give the CRD's ${metadata.conflict} different values (@crdLabel and @crdAnnotation are the one CRD's)`,
        { ...ctx.location(other.node, other.crdMetadata.offsets.get(metadata.conflict)), path: first.kind },
        'give the same value in every version, or set it in one version only',
      );
      ok = false;
    }
    if (!ok || 'conflict' in metadata || storage === undefined) continue;
    const conversion = resolveConversion(ctx, versions, storage);
    if (conversion === false) continue;
    kinds.push({
      group: first.group,
      kind: first.kind,
      listKind: `${first.kind}List`,
      ...first.names,
      versions: versions.map((v) => ({ ...v.version, storage: v.version.name === storage })),
      ...(Object.keys(metadata.labels).length > 0 ? { labels: metadata.labels } : {}),
      ...(Object.keys(metadata.annotations).length > 0 ? { annotations: metadata.annotations } : {}),
      ...(conversion === undefined ? {} : { conversion }),
    });
  }
  return kinds;
}
