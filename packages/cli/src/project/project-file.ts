/**
 * `kubeforge.json`: the project file recording the domain and the resources of an operator
 * project, like kubebuilder's PROJECT file. Commands find the project root by walking up from
 * the working directory to the nearest `kubeforge.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../errors.ts';

export const PROJECT_FILE = 'kubeforge.json';
export const PROJECT_FILE_VERSION = 1;

export type ResourceScope = 'Namespaced' | 'Cluster';

/**
 * A version of a kind the project owns (created with `kubeforge create api`). A kind served at
 * several versions has one entry per version; they agree on plural and scope, and the
 * controller flag is set on the entry the controller was scaffolded with (see
 * {@link kindHasController}).
 */
export interface ProjectResource {
  /** The full API group, e.g. `webapp.example.com`. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: ResourceScope;
  /** Project-relative path of the types file. */
  readonly path: string;
  /** Whether a controller was scaffolded and registered in src/main.ts for this kind. */
  readonly controller: boolean;
}

/** Whether two entries are versions of the same kind. */
export function isSameKind(
  a: Pick<ProjectResource, 'group' | 'kind'>,
  b: Pick<ProjectResource, 'group' | 'kind'>,
): boolean {
  return a.group === b.group && a.kind === b.kind;
}

/** Whether the kind of `resource` has a controller: one of its versions' entries says so. */
export function kindHasController(
  resources: readonly ProjectResource[],
  resource: Pick<ProjectResource, 'group' | 'kind'>,
): boolean {
  return resources.some((r) => isSameKind(r, resource) && r.controller);
}

/** A third-party kind imported with `kubeforge import`. */
export interface ImportedResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: ResourceScope;
  /** Project-relative path of the generated types file. */
  readonly path: string;
}

/**
 * Settings of `kubeforge generate` and `kubeforge manifests` (the `generate` section, written
 * by hand); the command line's flags win over them.
 */
export interface GenerateSettings {
  /** The oldest Kubernetes minor version the CRDs must work on, e.g. `"1.30"`. */
  readonly kubeVersion?: string;
  /** Caps every description of the CRDs at this many characters (0 drops them). */
  readonly maxDescriptionLength?: number;
}

export interface ProjectFile {
  readonly version: typeof PROJECT_FILE_VERSION;
  readonly name: string;
  readonly domain: string;
  readonly resources: readonly ProjectResource[];
  readonly imports: readonly ImportedResource[];
  readonly generate?: GenerateSettings;
}

export interface Project {
  readonly root: string;
  readonly file: ProjectFile;
}

/** The nearest directory at or above `start` containing `kubeforge.json`, if any. */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, PROJECT_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads the project enclosing `start`, or fails with `NotInProject`. */
export function loadProject(start: string): Project {
  const root = findProjectRoot(start);
  if (root === undefined) {
    throw new CliError(
      'NotInProject',
      `${resolve(start)} is not inside a kubeforge project (no ${PROJECT_FILE} found)`,
      {
        hint: 'run this command in a project created by `kubeforge init`, or create one with `kubeforge init my-operator --domain example.com`',
      },
    );
  }
  const path = join(root, PROJECT_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError('InvalidInput', `${path} is not valid JSON: ${(err as Error).message}`, {
      hint: `fix the JSON syntax of ${PROJECT_FILE}`,
      cause: err,
    });
  }
  return { root, file: parseProjectFile(data, path) };
}

function invalid(path: string, what: string): CliError {
  return new CliError('InvalidInput', `${path}: ${what}`, {
    hint: `${PROJECT_FILE} is written by kubeforge; restore it from version control or fix the field`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string, path: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '')
    throw invalid(path, `${where}.${key} must be a non-empty string`);
  return value;
}

function scopeField(record: Record<string, unknown>, path: string, where: string): ResourceScope {
  const value = record.scope;
  if (value !== 'Namespaced' && value !== 'Cluster')
    throw invalid(path, `${where}.scope must be "Namespaced" or "Cluster"`);
  return value;
}

/** Validates parsed JSON as a project file; `path` names the file in messages. */
export function parseProjectFile(data: unknown, path: string): ProjectFile {
  if (!isRecord(data)) throw invalid(path, 'must be a JSON object');
  if (data.version !== PROJECT_FILE_VERSION) {
    throw invalid(path, `version must be ${PROJECT_FILE_VERSION} (found ${JSON.stringify(data.version)})`);
  }
  const list = (key: string): readonly Record<string, unknown>[] => {
    const value = data[key] ?? [];
    if (!Array.isArray(value) || !value.every(isRecord))
      throw invalid(path, `${key} must be an array of objects`);
    return value;
  };
  const resources = list('resources').map((r, i): ProjectResource => {
    const where = `resources[${i}]`;
    if (typeof r.controller !== 'boolean') throw invalid(path, `${where}.controller must be true or false`);
    return {
      group: stringField(r, 'group', path, where),
      version: stringField(r, 'version', path, where),
      kind: stringField(r, 'kind', path, where),
      plural: stringField(r, 'plural', path, where),
      scope: scopeField(r, path, where),
      path: stringField(r, 'path', path, where),
      controller: r.controller,
    };
  });
  resources.forEach((r, i) => {
    const earlier = resources.slice(0, i).find((e) => isSameKind(e, r));
    if (earlier === undefined) return;
    if (earlier.version === r.version)
      throw invalid(path, `resources[${i}] repeats ${r.kind} ${r.group}/${r.version}`);
    if (earlier.plural !== r.plural || earlier.scope !== r.scope)
      throw invalid(path, `resources[${i}]: the versions of ${r.kind} must have the same plural and scope`);
  });
  const imports = list('imports').map((r, i): ImportedResource => {
    const where = `imports[${i}]`;
    return {
      group: stringField(r, 'group', path, where),
      version: stringField(r, 'version', path, where),
      kind: stringField(r, 'kind', path, where),
      plural: stringField(r, 'plural', path, where),
      scope: scopeField(r, path, where),
      path: stringField(r, 'path', path, where),
    };
  });
  const generate = data.generate === undefined ? undefined : generateSettings(data.generate, path);
  return {
    version: PROJECT_FILE_VERSION,
    name: stringField(data, 'name', path, '$'),
    domain: stringField(data, 'domain', path, '$'),
    resources,
    imports,
    ...(generate === undefined ? {} : { generate }),
  };
}

const generateKeys = ['kubeVersion', 'maxDescriptionLength'];

/** The `generate` section: known keys with values of the right shape (ranges are checked by the generator). */
function generateSettings(value: unknown, path: string): GenerateSettings {
  const wrong = (what: string, hint: string): CliError =>
    new CliError('InvalidInput', `${path}: ${what}`, { hint });
  if (!isRecord(value)) {
    throw wrong(
      'generate must be an object',
      'e.g. "generate": { "kubeVersion": "1.30", "maxDescriptionLength": 80 }',
    );
  }
  for (const key of Object.keys(value)) {
    if (!generateKeys.includes(key)) {
      throw wrong(`generate.${key} is not a setting`, `settings: ${generateKeys.join(', ')}`);
    }
  }
  const { kubeVersion, maxDescriptionLength } = value;
  if (kubeVersion !== undefined && typeof kubeVersion !== 'string') {
    throw wrong(
      `generate.kubeVersion must be a string (found ${JSON.stringify(kubeVersion)})`,
      'quote the version: "kubeVersion": "1.30"',
    );
  }
  if (maxDescriptionLength !== undefined && typeof maxDescriptionLength !== 'number') {
    throw wrong(
      `generate.maxDescriptionLength must be a number (found ${JSON.stringify(maxDescriptionLength)})`,
      'e.g. "maxDescriptionLength": 80 (0 drops descriptions)',
    );
  }
  return {
    ...(kubeVersion === undefined ? {} : { kubeVersion }),
    ...(maxDescriptionLength === undefined ? {} : { maxDescriptionLength }),
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function serializeProjectFile(file: ProjectFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
