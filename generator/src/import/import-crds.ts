/**
 * `kubeforge import`: third-party CRDs to TypeScript. For every served version of every CRD
 * in the input: a types file (json-schema-to-typescript) under `outDir`, plus the typed
 * client, lister and informer the code emitters produce for owned kinds.
 */
import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.ts';
import { hasErrors } from '../diagnostics/index.ts';
import type { OutputFile } from '../emit/index.ts';
import type { KindModel } from '../model/index.ts';
import { buildKindModuleViewModel, render } from '../view-models/index.ts';
import { readCrds } from './crd-to-model.ts';
import { emitImportedTypes } from './types.ts';

export interface ImportCrdsOptions {
  /** Shown in diagnostics and file headers, e.g. `certificates.yaml` or `<stdin>`. */
  readonly inputName: string;
  /** Project-relative POSIX directory for the output, e.g. `src/imports`. */
  readonly outDir: string;
}

export interface ImportResult {
  /** The kinds read from the input, served versions only. */
  readonly kinds: readonly KindModel[];
  readonly files: readonly OutputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** `BackupSchedule` -> `backup-schedule`. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** Where the types of one imported version go: `<outDir>/<group>/<version>/<kind-kebab>.ts`. */
export function importedTypesPath(
  outDir: string,
  kind: { group: string; version: string; kind: string },
): string {
  return posix.join(outDir, kind.group, kind.version, `${kebab(kind.kind)}.ts`);
}

/** Its typed client, lister and informer: `<kind-kebab>.client.ts` beside the types. */
export function importedClientPath(typesPath: string): string {
  return typesPath.replace(/\.ts$/, '.client.ts');
}

/**
 * The typed layer owned kinds get in src/generated (same template, same names), placed next
 * to the imported types so `kubeforge generate` never prunes it.
 */
export function emitImportedClient(kind: KindModel, version: KindModel['versions'][number]): OutputFile {
  const typesPath = version.source.file;
  const viewModel = {
    ...buildKindModuleViewModel({ kind, version }),
    importSpecifier: `'./${posix.basename(typesPath)}'`,
  };
  return {
    path: importedClientPath(typesPath),
    contents: render('code/kind.ts.hbs', viewModel),
    ownership: 'generated',
  };
}

export async function importCrds(text: string, options: ImportCrdsOptions): Promise<ImportResult> {
  const read = readCrds(text, {
    inputName: options.inputName,
    typesFileOf: (kind) => importedTypesPath(options.outDir, kind),
  });
  if (hasErrors(read.diagnostics)) return { kinds: [], files: [], diagnostics: read.diagnostics };
  const kinds = read.kinds.map((kind) => ({ ...kind, versions: kind.versions.filter((v) => v.served) }));
  const files: OutputFile[] = [];
  for (const kind of kinds) {
    for (const version of kind.versions) {
      files.push(
        await emitImportedTypes(kind, version, options.inputName),
        emitImportedClient(kind, version),
      );
    }
  }
  return { kinds, files, diagnostics: read.diagnostics };
}
