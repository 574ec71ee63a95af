/**
 * View models of the generated code (`templates/code/`): everything the templates print,
 * decided here from the project model, so templates only place values and format names.
 */
import { posix } from 'node:path';
import { compareKubeVersions, type KindModel, type ProjectModel, type VersionModel } from '../model/index.ts';
import { camelCase, kebabCase, pluralize } from './names.ts';
import { buildReconciledHelperViewModel, type ReconciledHelperViewModel } from './reconciled.ts';

/** Where generated code lives in an operator project. */
export const generatedDir = 'src/generated';

/** View model of `templates/code/kind.ts.hbs`: one kind at one version. */
export interface KindModuleViewModel {
  /** Project-relative path of the user's declaration. */
  readonly sourceFile: string;
  /** A quoted module specifier of the declaration, relative to the generated module. */
  readonly importSpecifier: string;
  /** The user's types the module imports and re-exports, sorted. */
  readonly typeImports: readonly string[];
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly apiVersion: string;
  readonly namespaced: boolean;
  readonly statusSubresource: boolean;
  /** Verbs of ResourceClient the typed client re-declares or leaves out, as a union of string literals. */
  readonly omittedVerbs: string;
  /** The informer scope type: cluster-scoped kinds accept no namespace. */
  readonly scopeType: string;
  readonly deprecated: boolean;
  /** The warning clients see for a deprecated version (the server's default when none is declared). */
  readonly deprecationWarning: string;
  /** `mark<Kind>Reconciled`, for kinds the project owns; `false` for imported kinds. */
  readonly reconciled: ReconciledHelperViewModel | false;
}

/** One kind at one version, with its generated module's path. */
export interface KindVersion {
  readonly kind: KindModel;
  readonly version: VersionModel;
}

/** `src/generated/<group>/<version>/<kind-kebab>.ts`. */
export function kindModulePath(kind: Pick<KindModel, 'group' | 'kind'>, version: string): string {
  return `${generatedDir}/${kind.group}/${version}/${kebabCase(kind.kind)}.ts`;
}

/** A TypeScript string literal (single-quoted, as the templates' code style). */
export function quote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A relative module specifier from one project file to another, keeping the `.ts` extension. */
export function relativeSpecifier(fromFile: string, toFile: string): string {
  const specifier = posix.relative(posix.dirname(fromFile), toFile);
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
}

export function buildKindModuleViewModel({ kind, version }: KindVersion): KindModuleViewModel {
  const path = kindModulePath(kind, version.name);
  const { source } = version;
  const types = new Set([source.interfaceName]);
  if (source.specTypeName !== undefined) types.add(source.specTypeName);
  if (source.statusTypeName !== undefined) types.add(source.statusTypeName);
  const namespaced = kind.scope === 'Namespaced';
  const statusSubresource = version.subresources.status;
  const omitted = ['inNamespace', 'apply', ...(statusSubresource ? [] : ['updateStatus'])];
  return {
    sourceFile: source.file,
    importSpecifier: quote(relativeSpecifier(path, source.file)),
    typeImports: [...types].sort(),
    group: kind.group,
    version: version.name,
    kind: kind.kind,
    plural: kind.plural,
    scope: kind.scope,
    apiVersion: `${kind.group}/${version.name}`,
    namespaced,
    statusSubresource,
    omittedVerbs: omitted.map(quote).join(' | '),
    scopeType: namespaced ? 'InformerScope' : "Omit<InformerScope, 'namespace'>",
    deprecated: version.deprecated,
    deprecationWarning:
      version.deprecationWarning ?? `${kind.group}/${version.name} ${kind.kind} is deprecated`,
    reconciled: version.statusFields === undefined ? false : buildReconciledHelperViewModel(kind, version),
  };
}

/** View model of `templates/code/index.ts.hbs`: the registry and the informer factory. */
export interface IndexModuleViewModel {
  readonly modules: readonly IndexModuleImport[];
  readonly groups: readonly IndexGroup[];
  readonly hasKinds: boolean;
}

export interface IndexModuleImport {
  /** The namespace the module is imported as, e.g. `batchExampleComV1BackupSchedule`. */
  readonly alias: string;
  readonly specifier: string;
}

export interface IndexGroup {
  readonly group: string;
  /** Property name of the group in the informer factory, e.g. `batchExampleCom`. */
  readonly accessor: string;
  readonly versions: readonly IndexVersion[];
}

export interface IndexVersion {
  readonly version: string;
  readonly accessor: string;
  readonly kinds: readonly IndexKind[];
}

export interface IndexKind {
  readonly kind: string;
  /** `group/version/Kind`, the registry key. */
  readonly key: string;
  readonly alias: string;
  /** Property name of the kind's informer accessor, e.g. `backupSchedules`. */
  readonly accessor: string;
  readonly scopeType: string;
}

/**
 * Every served version of every kind, sorted by group, kind and version priority. Versions
 * with `@served false` get no code: every call to them would fail with 404 NotFound.
 */
export function kindVersions(model: ProjectModel): readonly KindVersion[] {
  return model.kinds.flatMap((kind) =>
    kind.versions.filter((v) => v.served).map((version) => ({ kind, version })),
  );
}

function moduleAlias(kind: KindModel, version: string): string {
  return camelCase(`${kind.group} ${version} ${kind.kind}`);
}

export function buildIndexModuleViewModel(model: ProjectModel): IndexModuleViewModel {
  const entries = kindVersions(model);
  const indexPath = `${generatedDir}/index.ts`;
  const modules = entries
    .map(({ kind, version }) => ({
      alias: moduleAlias(kind, version.name),
      specifier: quote(relativeSpecifier(indexPath, kindModulePath(kind, version.name))),
    }))
    .sort((a, b) => compareStrings(a.specifier, b.specifier));

  const groups = [...new Set(entries.map((e) => e.kind.group))]
    .sort(compareStrings)
    .map((group): IndexGroup => {
      const inGroup = entries.filter((e) => e.kind.group === group);
      const versions = [...new Set(inGroup.map((e) => e.version.name))].sort(compareKubeVersions);
      return {
        group,
        accessor: camelCase(group),
        versions: versions.map((version): IndexVersion => ({
          version,
          accessor: camelCase(version),
          kinds: inGroup
            .filter((e) => e.version.name === version)
            .sort((a, b) => compareStrings(a.kind.kind, b.kind.kind))
            .map(({ kind }) => ({
              kind: kind.kind,
              key: `${group}/${version}/${kind.kind}`,
              alias: moduleAlias(kind, version),
              accessor: camelCase(pluralize(kind.kind)),
              scopeType: kind.scope === 'Namespaced' ? 'InformerScope' : "Omit<InformerScope, 'namespace'>",
            })),
        })),
      };
    });
  return { modules, groups, hasKinds: entries.length > 0 };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
