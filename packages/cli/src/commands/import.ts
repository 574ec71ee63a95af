/**
 * `kubeforge import <crd.yaml | ->`: third-party CRDs to TypeScript types and the typed
 * client, lister and informer owned kinds get, under `src/imports/` (or `--out`), so an
 * operator can watch and own cert-manager Certificates and the like. The files are
 * generated: importing again with an updated CRD refreshes them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import type { KindModel } from '@kubeforge/generator';
import { loadGenerator } from '../project/generation.ts';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import {
  loadProject,
  serializeProjectFile,
  PROJECT_FILE,
  type ImportedResource,
} from '../project/project-file.ts';
import { applyFilePlan, type PlannedFile } from '../scaffold/file-plan.ts';

export const DEFAULT_IMPORT_DIR = 'src/imports';

export interface ImportOptions {
  readonly cwd: string;
  /** A file path, or `-` for standard input. */
  readonly input: string;
  readonly out: string;
  readonly output: Output;
  /** Standard input's text when `input` is `-` (read from the process by default). */
  readonly stdin?: () => Promise<string>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readInput(options: ImportOptions): Promise<string> {
  if (options.input === '-') return (options.stdin ?? readStdin)();
  try {
    return Promise.resolve(readFileSync(resolve(options.cwd, options.input), 'utf8'));
  } catch (err) {
    throw new CliError(
      'InvalidArgument',
      `cannot read ${options.input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        hint: 'pass the path of a CRD YAML file, or - to read it from standard input',
        cause: err,
      },
    );
  }
}

function normaliseOutDir(out: string): string {
  const rel = posix.normalize(out.split('\\').join('/')).replace(/\/+$/, '');
  if (rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel) || rel === '.' || rel === '') {
    throw new CliError('InvalidArgument', `--out ${out} must be a directory inside the project`, {
      hint: `pass a project-relative directory, e.g. --out ${DEFAULT_IMPORT_DIR}`,
    });
  }
  if (
    rel === 'src/apis' ||
    rel.startsWith('src/apis/') ||
    rel === 'src/generated' ||
    rel.startsWith('src/generated/')
  ) {
    throw new CliError(
      'InvalidArgument',
      `--out ${out} would mix imported kinds with the project's own APIs or generated code`,
      {
        hint: `use a directory of its own, e.g. --out ${DEFAULT_IMPORT_DIR}`,
      },
    );
  }
  return rel;
}

export async function importCommandRun(options: ImportOptions): Promise<readonly KindModel[]> {
  const project = loadProject(options.cwd);
  const outDir = normaliseOutDir(options.out);
  const text = await readInput(options);
  const inputName = options.input === '-' ? '<stdin>' : posix.basename(options.input);
  const { formatDiagnostics, hasErrors, importCrds, importedHeaderPrefix } = await loadGenerator();
  const result = await importCrds(text, { inputName, outDir });
  if (hasErrors(result.diagnostics)) {
    throw new CliError(
      'InvalidInput',
      `cannot import ${options.input === '-' ? 'standard input' : options.input}`,
      {
        details: formatDiagnostics(result.diagnostics),
        hint: 'fix the CRD manifest (or pass another file) and run `kubeforge import` again',
      },
    );
  }
  if (result.diagnostics.length > 0) options.output.info(formatDiagnostics(result.diagnostics).trimEnd());

  // Files kubeforge generated before are refreshed; anything else at those paths is the user's.
  const files: PlannedFile[] = result.files.map((file) => {
    const target = join(project.root, file.path);
    const ours = existsSync(target) && readFileSync(target, 'utf8').startsWith(importedHeaderPrefix);
    return { path: file.path, contents: file.contents, mode: ours ? 'update' : 'create' };
  });
  const imported: ImportedResource[] = result.kinds.flatMap((kind) =>
    kind.versions.map((version) => ({
      group: kind.group,
      version: version.name,
      kind: kind.kind,
      plural: kind.plural,
      scope: kind.scope,
      path: version.source.file,
    })),
  );
  const key = (r: ImportedResource): string => `${r.group}/${r.version}/${r.kind}`;
  const importedKeys = new Set(imported.map(key));
  const imports = [...project.file.imports.filter((r) => !importedKeys.has(key(r))), ...imported].sort(
    (a, b) => key(a).localeCompare(key(b)),
  );
  files.push({
    path: PROJECT_FILE,
    contents: serializeProjectFile({ ...project.file, imports }),
    mode: 'update',
  });
  const applied = applyFilePlan(project.root, files);
  for (const r of imported)
    options.output.info(`Imported ${r.kind} (${r.group}/${r.version}, ${r.scope}) -> ${r.path}`);
  const changed = [...applied.created, ...applied.updated].filter((p) => p !== PROJECT_FILE);
  options.output.info(`${changed.length} file(s) written under ${outDir}.`);
  return result.kinds;
}

interface ImportArgs {
  readonly crd: string;
  readonly out: string;
}

export function importCommand(output: Output): CommandModule<object, ImportArgs> {
  return {
    command: 'import <crd>',
    describe: 'Generate TypeScript types and a typed client for third-party CRDs',
    builder: (yargs) =>
      yargs
        .positional('crd', {
          type: 'string',
          demandOption: true,
          describe: 'CRD YAML file, or - for standard input',
        })
        .option('out', {
          type: 'string',
          default: DEFAULT_IMPORT_DIR,
          describe: 'Project-relative output directory',
        })
        .example('$0 import vendor/cert-manager.crds.yaml', 'Types and client for every CRD in the file')
        .example(
          'kubectl get crd certificates.cert-manager.io -o yaml | $0 import -',
          'Import a CRD straight from a cluster',
        )
        .example('$0 import crds.yaml --out src/vendor', 'Write somewhere other than src/imports'),
    handler: async (args) => {
      // yargs hands a lone `-` positional over as an empty string; no real path is empty.
      const input = args.crd === '' ? '-' : args.crd;
      await importCommandRun({ cwd: process.cwd(), input, out: args.out, output });
    },
  };
}
