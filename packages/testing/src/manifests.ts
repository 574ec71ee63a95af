/**
 * Reading Kubernetes manifests for tests: multi-document YAML (what `kubectl kustomize` or an
 * installer prints), files, or directories of `.yaml`/`.yml` files. Every document becomes a
 * plain object tagged with where it came from, so errors can point at `file:document`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ControlPlaneError } from './errors.ts';

/** A manifest as parsed; `source` says where it came from (`role.yaml#2`, `manifests[3]`). */
export interface Manifest {
  readonly object: Readonly<Record<string, unknown>>;
  readonly source: string;
}

/**
 * What a helper accepts as manifests: multi-document YAML text, objects, or
 * `{ paths }` (files and directories; a directory's `kustomization.yaml` is skipped, its
 * other YAML files are read in name order, not recursively).
 */
export type ManifestSource =
  string | readonly Readonly<Record<string, unknown>>[] | { readonly paths: readonly string[] };

export function readManifests(source: ManifestSource): Manifest[] {
  if (typeof source === 'string') return parseYaml(source, 'manifests');
  if ('paths' in source) return source.paths.flatMap(readPath);
  return source.map((object, index) => ({ object, source: `manifests[${index}]` }));
}

function readPath(path: string): Manifest[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new ControlPlaneError(`cannot read manifests from ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isDirectory) return parseYaml(readFileSync(path, 'utf8'), path);
  return readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name))
    .sort()
    .flatMap((name) => parseYaml(readFileSync(join(path, name), 'utf8'), join(path, name)));
}

function parseYaml(text: string, source: string): Manifest[] {
  const manifests: Manifest[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    const error = document.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line;
      throw new ControlPlaneError(
        `${source}${line === undefined ? '' : `:${line}`}: invalid YAML: ${error.message.split('\n')[0] ?? ''}`,
      );
    }
    const object: unknown = document.toJS();
    if (object === null || object === undefined) return;
    if (typeof object !== 'object' || Array.isArray(object)) {
      throw new ControlPlaneError(
        `${source}#${index + 1}: a manifest must be a mapping (apiVersion, kind, metadata, ...)`,
      );
    }
    manifests.push({ object: object as Record<string, unknown>, source: `${source}#${index + 1}` });
  });
  return manifests;
}
