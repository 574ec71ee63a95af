/**
 * The generator's intermediate model: everything the emitters need about an operator's API,
 * as plain readonly data with no compiler objects, so emitters are testable with literals.
 * Built by `parse/`, consumed by `emit/` (CRDs, RBAC, and the typed-code emitters).
 */
import type { Schema } from './schema.ts';

export type Scope = 'Namespaced' | 'Cluster';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly format?: string;
  readonly priority?: number;
}

export interface ScaleSubresource {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

export interface Subresources {
  readonly status: boolean;
  readonly scale?: ScaleSubresource;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** An admission webhook of one version (`@defaulting`, `@validating`), as its configuration carries it. */
export interface AdmissionWebhookModel {
  /** In the order CREATE, UPDATE, DELETE. */
  readonly operations: readonly AdmissionOperation[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly sideEffects: 'None' | 'NoneOnDryRun';
  readonly timeoutSeconds: number;
}

/**
 * How the API server converts between a kind's versions: through the operator's conversion
 * webhook (`@conversion hub` on the hub version), or by rewriting only `apiVersion`
 * (`@conversion none`, stated on purpose for versions whose schemas differ).
 */
export type ConversionModel =
  { readonly strategy: 'Webhook'; readonly hub: string } | { readonly strategy: 'None' };

/** Where a version's TypeScript declaration lives (for emitters that import it). */
export interface TypeSource {
  /** Project-relative POSIX path, e.g. `src/apis/batch.example.com/v1/backup-schedule.ts`. */
  readonly file: string;
  /** The exported interface marked `@resource`; equals the kind. */
  readonly interfaceName: string;
  /** Name of the `spec` property's named type, when it is a named exported type. */
  readonly specTypeName?: string;
  /** Name of the `status` property's named type, when it is a named exported type. */
  readonly statusTypeName?: string;
}

/**
 * What a version's status declares, as TypeScript types, of the fields a controller records a
 * successful reconcile in: the generated `mark<Kind>Reconciled` writes exactly these, so it
 * compiles whatever the status looks like.
 */
export interface StatusFields {
  /**
   * How a recorded status starts: `empty` when `{}` is a valid status (no required fields),
   * `existing` when it has required fields (only a status the controller set is extended),
   * `none` when there is no status object to write into (none declared, or not one object type).
   */
  readonly start: 'empty' | 'existing' | 'none';
  /** `observedGeneration` is declared and takes a number. */
  readonly observedGeneration: boolean;
  /**
   * `conditions`: `runtime` for a list of @kubeforge/runtime's `Condition`, `other` for any
   * other type (e.g. the user's own `Condition`), `absent` when not declared.
   */
  readonly conditions: 'runtime' | 'other' | 'absent';
}

export interface VersionModel {
  /** e.g. `v1`, `v1beta2`, `v1alpha1`. */
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  readonly source: TypeSource;
  /** Whether the type declares a `status` property. */
  readonly hasStatus: boolean;
  /** The status fields a reconcile is recorded in; absent for kinds the project does not own (imports). */
  readonly statusFields?: StatusFields;
  readonly subresources: Subresources;
  readonly printerColumns: readonly PrinterColumn[];
  /**
   * JSONPaths clients may use in field selectors (`selectableFields`, Kubernetes >= 1.30),
   * checked to name string, integer or boolean fields outside metadata.
   */
  readonly selectableFields?: readonly string[];
  /** The structural `openAPIV3Schema` of the version. */
  readonly schema: Schema;
  /** Admission webhooks served at this version's paths (`@defaulting`, `@validating`). */
  readonly webhooks?: {
    readonly defaulting?: AdmissionWebhookModel;
    readonly validating?: AdmissionWebhookModel;
  };
}

export interface KindModel {
  readonly group: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly scope: Scope;
  /** Sorted by Kubernetes version priority: GA before beta before alpha, newest first. */
  readonly versions: readonly VersionModel[];
  /** Labels of the CustomResourceDefinition object itself (`@crdLabel`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the CustomResourceDefinition object itself (`@crdAnnotation`). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Stated by `@conversion`; absent: the API server's default, `None`, with equal schemas. */
  readonly conversion?: ConversionModel;
}

/** One `@rbac` tag: a PolicyRule as declared, before merging. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
  /** Granted in this namespace only (a Role); cluster-wide (the ClusterRole) when absent. */
  readonly namespace?: string;
  /** Project-relative file that declared it. */
  readonly source: string;
}

export interface ProjectModel {
  /** Sorted by group, then kind. */
  readonly kinds: readonly KindModel[];
  /** In source order (files sorted by path). */
  readonly rbacRules: readonly RbacRule[];
}

/** The version marked as storage version (validated to exist exactly once). */
export function storageVersion(kind: KindModel): VersionModel {
  const version = kind.versions.find((v) => v.storage);
  if (!version) throw new Error(`kind ${kind.kind} has no storage version`);
  return version;
}

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Whether a name is a Kubernetes API version (`v1`, `v2beta1`, `v1alpha3`). */
export function isKubeVersion(name: string): boolean {
  return versionPattern.test(name);
}

/**
 * Orders versions like the API server's version priority: GA before beta before alpha, higher
 * major first, then higher minor; non-conforming names last, alphabetically.
 */
export function compareKubeVersions(a: string, b: string): number {
  const pa = versionPattern.exec(a);
  const pb = versionPattern.exec(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  const stability = (m: RegExpExecArray): number => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  return (
    stability(pb) - stability(pa) || Number(pb[1]) - Number(pa[1]) || Number(pb[3] ?? 0) - Number(pa[3] ?? 0)
  );
}
