/**
 * The manifest pipeline end to end: parse -> model -> CRD and RBAC emitters -> writer. When
 * any error is found nothing is written.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.ts';
import {
  checkCrds,
  crdSizes,
  defaultCrdDir,
  emitCrds,
  emitRbac,
  isKubeVersionString,
  type CrdOptions,
  type CrdSize,
  type OutputFile,
} from './emit/index.ts';
import type { ProjectModel } from './model/index.ts';
import { openProject, type LoadProjectOptions, type ProjectSession } from './parse/index.ts';
import { writeOutputs, type WriteResult } from './write/index.ts';

export interface GenerateManifestsOptions extends LoadProjectOptions, CrdOptions {
  /** Compare with the files on disk instead of writing (`stale` lists the differences). */
  readonly check?: boolean;
  /** Reuse a session (watch mode): pass the files that changed since the last run. */
  readonly session?: ProjectSession;
  readonly changedFiles?: readonly string[];
}

export interface GenerateManifestsResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly model: ProjectModel;
  /** The emitted files; empty when there are errors. */
  readonly files: readonly OutputFile[];
  readonly crdSizes: readonly CrdSize[];
  /** What the writer did; `undefined` when errors stopped the run. */
  readonly write?: WriteResult;
}

export function generateManifests(options: GenerateManifestsOptions): GenerateManifestsResult {
  const optionProblems: Diagnostic[] = [];
  if (options.kubeVersion !== undefined && !isKubeVersionString(options.kubeVersion)) {
    optionProblems.push({
      severity: 'error',
      code: 'invalid-option',
      message: `kubeVersion "${options.kubeVersion}" must look like 1.25`,
    });
  }
  if (
    options.maxDescriptionLength !== undefined &&
    !(Number.isInteger(options.maxDescriptionLength) && options.maxDescriptionLength >= 0)
  ) {
    optionProblems.push({
      severity: 'error',
      code: 'invalid-option',
      message: 'maxDescriptionLength must be a non-negative integer',
    });
  }
  const session = options.session ?? openProject(options);
  const loaded = options.changedFiles ? session.update(options.changedFiles) : session.load();
  const parseDiagnostics = [...optionProblems, ...loaded.diagnostics];
  if (hasErrors(parseDiagnostics)) {
    return { diagnostics: sortDiagnostics(parseDiagnostics), model: loaded.model, files: [], crdSizes: [] };
  }
  const crds = emitCrds(loaded.model, options);
  const files = [...crds, ...emitRbac(loaded.model)];
  const diagnostics = sortDiagnostics([...parseDiagnostics, ...checkCrds(loaded.model, crds, options)]);
  const write = writeOutputs(files, {
    projectDir: options.projectDir,
    pruneDirs: [options.outputDir ?? defaultCrdDir],
    ...(options.check ? { check: true } : {}),
  });
  return { diagnostics, model: loaded.model, files, crdSizes: crdSizes(crds), write };
}
