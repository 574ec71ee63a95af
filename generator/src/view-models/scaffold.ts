/**
 * View model of the controller scaffold (`templates/scaffold/controller.ts.hbs`): which
 * generated module it binds to, and how its status update is written. The scaffold is
 * rendered once and then belongs to the user, whose next step is to replace the example
 * types: so it writes no status field itself. Where the status has `observedGeneration`
 * and runtime `conditions` (create api's example types), it records a reconcile by calling the
 * generated `mark<Kind>Reconciled` (see reconciled.ts), which follows the types on every
 * `kubeforge generate`: the scaffold compiles whatever the status becomes.
 */
import { storageVersion, type KindModel, type VersionModel } from '../model/index.ts';
import { kindModulePath, quote, relativeSpecifier } from './code.ts';
import { camelCase, kebabCase, objectVariableName, pluralize } from './names.ts';
import { missingStatusFields, reconciledFunctionName, statusFieldsOf } from './reconciled.ts';

/** `src/controllers/<kind-kebab>.controller.ts`. */
export function controllerPath(kind: Pick<KindModel, 'kind'>): string {
  return `src/controllers/${kebabCase(kind.kind)}.controller.ts`;
}

/** The exported registration function of a kind's controller, e.g. `registerBackupScheduleController`. */
export function registerFunctionName(kind: Pick<KindModel, 'kind'>): string {
  return `register${kind.kind}Controller`;
}

/**
 * How the scaffold writes the status. `subresource`: through /status; `object`: with the
 * object (no status subresource); `none`: the kind declares no status.
 */
export type StatusWrite = 'subresource' | 'object' | 'none';

export interface ControllerViewModel {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Quoted specifier of the generated module, relative to the controller. */
  readonly generatedImport: string;
  /** Local variable naming the kind's client, e.g. `backupSchedules`. */
  readonly clientVariable: string;
  /** Local variable naming one object, e.g. `backupSchedule` (`deleteObject` for a kind `Delete`). */
  readonly objectVariable: string;
  readonly finalizer: string;
  readonly registerFunction: string;
  readonly hasStatus: boolean;
  readonly statusSubresource: boolean;
  /** The generated function that records a reconcile in the status, e.g. `markWebsiteReconciled`. */
  readonly markReconciled: string;
  /**
   * Whether the scaffold calls it: when the status has both fields it records
   * (`observedGeneration`, a `conditions` list of the runtime's Condition), as create api's
   * example types do. `generate` warns at the call once they are gone.
   */
  readonly callsMarkReconciled: boolean;
  /** The runtime functions the scaffold imports, sorted. */
  readonly runtimeImports: readonly string[];
}

function statusWrite(version: VersionModel): StatusWrite {
  if (!version.hasStatus) return 'none';
  return version.subresources.status ? 'subresource' : 'object';
}

export function buildControllerViewModel(kind: KindModel): ControllerViewModel {
  const version = storageVersion(kind);
  const write = statusWrite(version);
  const path = controllerPath(kind);
  return {
    kind: kind.kind,
    group: kind.group,
    version: version.name,
    plural: kind.plural,
    namespaced: kind.scope === 'Namespaced',
    generatedImport: quote(relativeSpecifier(path, kindModulePath(kind, version.name))),
    clientVariable: camelCase(pluralize(kind.kind)),
    objectVariable: objectVariableName(kind.kind),
    finalizer: `${kind.group}/finalizer`,
    registerFunction: registerFunctionName(kind),
    hasStatus: write !== 'none',
    statusSubresource: write === 'subresource',
    markReconciled: reconciledFunctionName(kind),
    callsMarkReconciled: write !== 'none' && missingStatusFields(kind, statusFieldsOf(version)).length === 0,
    runtimeImports: ['controllerFor', 'finalize'],
  };
}
