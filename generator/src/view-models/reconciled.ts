/**
 * View model of `mark<Kind>Reconciled`, the part of a kind's generated module that records a
 * successful reconcile in the status (`templates/code/kind.ts.hbs`). The controller scaffold
 * calls it instead of writing status fields itself, so the scaffold compiles whatever the
 * user's status looks like: regenerated from the types, it writes `observedGeneration` and a
 * `Ready` condition where the status declares them (the condition only with the runtime's
 * `Condition` type, which `setCondition` returns) and nothing it cannot type-check.
 */
import type { KindModel, StatusFields, VersionModel } from '../model/index.ts';
import { objectVariableName } from './names.ts';

export interface ReconciledHelperViewModel {
  /** e.g. `markWebsiteReconciled`. */
  readonly functionName: string;
  /** The object parameter, e.g. `website`. */
  readonly parameter: string;
  /** `message`, or `_message` when no condition uses it. */
  readonly messageParameter: string;
  /** A quoted default message, e.g. `'Website is up to date'`. */
  readonly defaultMessage: string;
  /** Whether it writes anything at all. */
  readonly records: boolean;
  /** The status has required fields: only a status the controller has set is extended. */
  readonly guardsStatus: boolean;
  /** The status may be `null` (a nullable status schema). */
  readonly nullable: boolean;
  readonly setsObservedGeneration: boolean;
  readonly setsReadyCondition: boolean;
  /** The first paragraph of its doc comment, wrapped: what it records, or why nothing. */
  readonly summaryLines: readonly string[];
}

/** `mark<Kind>Reconciled`, the generated function the controller scaffold calls. */
export function reconciledFunctionName(kind: Pick<KindModel, 'kind'>): string {
  return `mark${kind.kind}Reconciled`;
}

/** The status fields of a version as the helper sees them (none for a version without them). */
export function statusFieldsOf(version: VersionModel): StatusFields {
  return version.statusFields ?? { start: 'none', observedGeneration: false, conditions: 'absent' };
}

/**
 * What `mark<Kind>Reconciled` cannot record for the controller scaffold's expectations
 * (observedGeneration and a Ready condition), as phrases; empty when it records both.
 */
export function missingStatusFields(kind: Pick<KindModel, 'kind'>, fields: StatusFields): string[] {
  if (fields.start === 'none') return [`${kind.kind} declares no status object`];
  return [
    ...(fields.observedGeneration ? [] : ['the status declares no `observedGeneration` that takes a number']),
    ...(fields.conditions === 'runtime'
      ? []
      : fields.conditions === 'other'
        ? ['its `conditions` are not a list of `Condition` from @kubeforge/runtime/api']
        : ['the status declares no `conditions`']),
  ];
}

export function buildReconciledHelperViewModel(
  kind: KindModel,
  version: VersionModel,
): ReconciledHelperViewModel {
  const fields = statusFieldsOf(version);
  const writable = fields.start !== 'none';
  const setsObservedGeneration = writable && fields.observedGeneration;
  const setsReadyCondition = writable && fields.conditions === 'runtime';
  const records = setsObservedGeneration || setsReadyCondition;
  const recorded = [
    ...(setsObservedGeneration ? ['`status.observedGeneration` (the generation reconciled)'] : []),
    ...(setsReadyCondition ? ['a `Ready` condition (status True, reason `Reconciled`)'] : []),
  ];
  const missing = missingStatusFields(kind, fields);
  const parameter = objectVariableName(kind.kind);
  const summary = records
    ? `Records in \`${parameter}.status\` that its current spec was reconciled: it sets ${recorded.join(' and ')}${missing.length === 0 ? '.' : `; nothing else, as ${missing.join(' and ')}.`}`
    : `Records nothing in \`${parameter}\`, as ${missing.join(' and ')}: record your own status fields.`;
  return {
    functionName: reconciledFunctionName(kind),
    parameter,
    messageParameter: setsReadyCondition ? 'message' : '_message',
    // Kind names are letters and digits: nothing to escape.
    defaultMessage: `'${kind.kind} is up to date'`,
    records,
    guardsStatus: records && fields.start === 'existing',
    nullable: version.schema.properties?.status?.nullable === true,
    setsObservedGeneration,
    setsReadyCondition,
    summaryLines: wrap(summary, 88),
  };
}

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
