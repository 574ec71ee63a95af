/**
 * Name formatting shared by view models and template helpers: pure string functions, no
 * knowledge of Kubernetes. Words are split at case changes, digits-to-letters boundaries and
 * any non-alphanumeric character, so `BackupSchedule`, `backup-schedule`, `backup_schedule`
 * and `batch.example.com` all split predictably.
 */

/** Splits an identifier or a dotted/dashed name into lowercase words. */
export function words(name: string): readonly string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `backup-schedule` -> `BackupSchedule`; `batch.example.com` -> `BatchExampleCom`. */
export function pascalCase(name: string): string {
  return words(name).map(capitalize).join('');
}

/** `BackupSchedule` -> `backupSchedule`; `v1beta1` -> `v1beta1`. */
export function camelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first + rest.map(capitalize).join('');
}

/** `BackupSchedule` -> `backup-schedule`. */
export function kebabCase(name: string): string {
  return words(name).join('-');
}

/** `BackupSchedule` -> `BACKUP_SCHEDULE`. */
export function constantCase(name: string): string {
  return words(name).join('_').toUpperCase();
}

/**
 * English plural of an identifier, inflecting its last word and keeping its case:
 * `BackupSchedule` -> `BackupSchedules`, `Policy` -> `Policies`, `Ingress` -> `Ingresses`.
 */
export function pluralize(name: string): string {
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}${/[A-Z]$/.test(name) ? 'ES' : 'es'}`;
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}${/[A-Z]$/.test(name) ? 'IES' : 'ies'}`;
  return `${name}${/[A-Z]$/.test(name) ? 'S' : 's'}`;
}

/**
 * The default plural resource name of a kind, as kubebuilder derives it: the lowercase kind
 * with English plural rules. `BackupSchedule` -> `backupschedules`, `Policy` -> `policies`.
 */
export function defaultPlural(kind: string): string {
  return pluralize(kind.toLowerCase());
}

/**
 * Words a kind's camelCase name may collide with as a local variable: JavaScript's reserved
 * words and the names generated code and scaffolds declare beside it.
 */
const reservedWords = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval ' +
    'request context current manager finalize controllerFor setCondition message generation status'
  ).split(' '),
);

/** The local variable naming one object of a kind, e.g. `backupSchedule` (`deleteObject` for `Delete`). */
export function objectVariableName(kind: string): string {
  return reservedWords.has(camelCase(kind)) ? `${camelCase(kind)}Object` : camelCase(kind);
}
