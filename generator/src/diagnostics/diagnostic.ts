/**
 * Diagnostics: how every user mistake is reported. Each stage collects all of them (never
 * throws at the first) so one run shows everything to fix, like a compiler does.
 */

/** `note`: information worth a look (e.g. a CRD close to a size limit); never fails a run. */
export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable, kebab-case identifier of the problem, e.g. `unsupported-type`. */
  readonly code: string;
  readonly message: string;
  /** Project-relative POSIX path of the file the problem is in. */
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  /** Where in the API the problem is, e.g. `BackupSchedule.spec.targets[].port`. */
  readonly path?: string;
  /** How to fix it. */
  readonly hint?: string;
}

export interface DiagnosticLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
}

/** Collects diagnostics; stages share one sink so their reports end up in one list. */
export class DiagnosticSink {
  readonly #items: Diagnostic[] = [];

  report(diagnostic: Diagnostic): void {
    this.#items.push(diagnostic);
  }

  error(code: string, message: string, where: DiagnosticLocation, hint?: string): void {
    this.report(withLocation({ severity: 'error', code, message, ...(hint ? { hint } : {}) }, where));
  }

  warning(code: string, message: string, where: DiagnosticLocation, hint?: string): void {
    this.report(withLocation({ severity: 'warning', code, message, ...(hint ? { hint } : {}) }, where));
  }

  get hasErrors(): boolean {
    return this.#items.some((d) => d.severity === 'error');
  }

  /** All diagnostics, sorted by file, position, path and message (deterministic). */
  toArray(): readonly Diagnostic[] {
    return sortDiagnostics(this.#items);
  }
}

function withLocation(diagnostic: Diagnostic, where: DiagnosticLocation): Diagnostic {
  return {
    ...diagnostic,
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.line === undefined ? {} : { line: where.line }),
    ...(where.column === undefined ? {} : { column: where.column }),
    ...(where.path === undefined ? {} : { path: where.path }),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compare(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.path ?? '', b.path ?? '') ||
      compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
