/**
 * View model of the controller scaffold (`templates/scaffold/controller.ts.hbs`): which
 * generated module it binds to, and how its status update is written. The status update is
 * chosen from the kind's schema so the scaffold compiles against the user's types as they
 * are: `observedGeneration` and `conditions` are set only when the status declares them
 * with the matching types, and a status with required fields gets a TODO instead of a
 * guessed value.
 */
import { storageVersion, type KindModel, type Schema, type VersionModel } from '../model/index.ts';
import { kindModulePath, quote, relativeSpecifier } from './code.ts';
import { camelCase, kebabCase, pluralize } from './names.ts';

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
  /** The status has no required fields, so `{ ...current.status, ... }` is a valid status. */
  readonly statusSpreadable: boolean;
  readonly setsObservedGeneration: boolean;
  readonly setsReadyCondition: boolean;
  /** The runtime functions the scaffold imports, sorted. */
  readonly runtimeImports: readonly string[];
}

/** Words a kind's camelCase name may collide with as a local variable (and names the scaffold uses). */
const reservedWords = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval ' +
    'request context current manager finalize controllerFor setCondition'
  ).split(' '),
);

const conditionFields = ['type', 'status', 'reason', 'message', 'lastTransitionTime'];

function isConditionList(schema: Schema | undefined): boolean {
  const item = schema?.type === 'array' ? schema.items : undefined;
  if (item?.properties === undefined) return false;
  const required = new Set(item.required ?? []);
  return conditionFields.every((f) => item.properties?.[f] !== undefined && required.has(f));
}

function statusWrite(version: VersionModel): StatusWrite {
  if (!version.hasStatus) return 'none';
  return version.subresources.status ? 'subresource' : 'object';
}

export function buildControllerViewModel(kind: KindModel): ControllerViewModel {
  const version = storageVersion(kind);
  const status = version.schema.properties?.status;
  const write = statusWrite(version);
  const hasStatus = write !== 'none';
  const statusSpreadable = hasStatus && (status?.required ?? []).length === 0;
  const setsObservedGeneration =
    statusSpreadable && status?.properties?.observedGeneration?.type === 'integer';
  const setsReadyCondition = statusSpreadable && isConditionList(status?.properties?.conditions);
  const runtimeImports = ['controllerFor', 'finalize', ...(setsReadyCondition ? ['setCondition'] : [])];
  const path = controllerPath(kind);
  return {
    kind: kind.kind,
    group: kind.group,
    version: version.name,
    plural: kind.plural,
    namespaced: kind.scope === 'Namespaced',
    generatedImport: quote(relativeSpecifier(path, kindModulePath(kind, version.name))),
    clientVariable: camelCase(pluralize(kind.kind)),
    objectVariable: reservedWords.has(camelCase(kind.kind))
      ? `${camelCase(kind.kind)}Object`
      : camelCase(kind.kind),
    finalizer: `${kind.group}/finalizer`,
    registerFunction: registerFunctionName(kind),
    hasStatus,
    statusSubresource: write === 'subresource',
    statusSpreadable,
    setsObservedGeneration,
    setsReadyCondition,
    runtimeImports: runtimeImports.sort(),
  };
}
