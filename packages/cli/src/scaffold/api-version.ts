/**
 * Text edits for adding a version to a kind the project already has: the new version's types
 * file is a copy of the storage version's, and a kind with several versions needs exactly one
 * `@storageVersion` marker (the generator's rule). The edits are textual and minimal, so the
 * user's formatting and comments survive; anything they cannot place is reported, not guessed.
 */

/** Where the JSDoc block of `export interface <kind>` is in `source`. */
interface DocBlock {
  readonly start: number;
  readonly end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The JSDoc block right above `export interface <kind>`, if the file declares it. */
function resourceDoc(source: string, kind: string): DocBlock | undefined {
  const declaration = new RegExp(`^export interface ${escapeRegExp(kind)}\\b`, 'm').exec(source);
  if (declaration === null) return undefined;
  const before = source.slice(0, declaration.index);
  const end = before.lastIndexOf('*/');
  const start = before.lastIndexOf('/**', end);
  if (end < 0 || start < 0 || before.slice(end + 2).trim() !== '') return undefined;
  return { start, end: end + 2 };
}

const storageMarkerLine = /^[ \t]*\*[ \t]*@storageVersion[ \t]*\r?\n/m;

/** Whether `export interface <kind>` is declared in `source` (with a doc comment). */
export function declaresResource(source: string, kind: string): boolean {
  return resourceDoc(source, kind) !== undefined;
}

/** Whether the doc comment of `export interface <kind>` carries `@storageVersion`. */
export function hasStorageVersionMarker(source: string, kind: string): boolean {
  const doc = resourceDoc(source, kind);
  return doc !== undefined && /@storageVersion\b/.test(source.slice(doc.start, doc.end));
}

/**
 * `source` with a `@storageVersion` line added after the `@resource` line of `<kind>`'s doc
 * comment, or undefined when that line cannot be found (a one-line comment, say).
 */
export function addStorageVersionMarker(source: string, kind: string): string | undefined {
  return addResourceMarker(source, kind, '@storageVersion');
}

/** Whether the doc comment of `export interface <kind>` has a `@<name>` tag. */
export function hasResourceMarker(source: string, kind: string, name: string): boolean {
  const doc = resourceDoc(source, kind);
  return doc !== undefined && new RegExp(`@${escapeRegExp(name)}\\b`).test(source.slice(doc.start, doc.end));
}

/**
 * `source` with `marker` (a tag and its arguments, e.g. `@conversion hub`) on a new line
 * after the `@resource` line of `<kind>`'s doc comment, or undefined when that line cannot be
 * found (a one-line comment, say).
 */
export function addResourceMarker(source: string, kind: string, marker: string): string | undefined {
  const doc = resourceDoc(source, kind);
  if (doc === undefined) return undefined;
  const block = source.slice(doc.start, doc.end);
  const resourceLine = /^([ \t]*\*[ \t]*)@resource\b.*\r?\n/m.exec(block);
  if (resourceLine === null) return undefined;
  const at = doc.start + resourceLine.index + resourceLine[0].length;
  return `${source.slice(0, at)}${resourceLine[1] ?? ' * '}${marker}\n${source.slice(at)}`;
}

export interface VersionCopy {
  readonly group: string;
  readonly kind: string;
  /** The version copied from. */
  readonly from: string;
  /** The new version. */
  readonly to: string;
}

/**
 * The types file of a new version, from the file of version `from`: `<group>/<from>` becomes
 * `<group>/<to>` (the `apiVersion` literal, the doc comments), the kind's `@storageVersion`
 * marker is dropped (the storage version stays where it is), and `./` imports point back at
 * the `from` folder so they still resolve.
 */
export function copyTypesToVersion(source: string, copy: VersionCopy): string {
  let text = source;
  const doc = resourceDoc(text, copy.kind);
  if (doc !== undefined) {
    const block = text.slice(doc.start, doc.end).replace(storageMarkerLine, '');
    text = `${text.slice(0, doc.start)}${block}${text.slice(doc.end)}`;
  }
  text = text.split(`${copy.group}/${copy.from}`).join(`${copy.group}/${copy.to}`);
  return text.replace(/(\bfrom\s+|\bimport\(\s*)(['"])\.\//g, `$1$2../${copy.from}/`);
}

/**
 * The sample of a new version, from the sample of version `from`: the new `apiVersion`, and
 * `-<to>` appended to `metadata.name` so that applying config/samples creates both objects.
 */
export function copySampleToVersion(sample: string, copy: VersionCopy): string {
  const lines = sample.split('\n');
  let inMetadata = false;
  let renamed = false;
  return lines
    .map((line) => {
      if (line === `apiVersion: ${copy.group}/${copy.from}`) return `apiVersion: ${copy.group}/${copy.to}`;
      if (/^metadata:\s*$/.test(line)) {
        inMetadata = true;
        return line;
      }
      if (inMetadata && /^\S/.test(line)) inMetadata = false;
      const name = /^( {2}name:\s*)(\S+)\s*$/.exec(line);
      if (inMetadata && !renamed && name !== null) {
        renamed = true;
        return `${name[1] ?? ''}${name[2] ?? ''}-${copy.to}`;
      }
      return line;
    })
    .join('\n');
}
