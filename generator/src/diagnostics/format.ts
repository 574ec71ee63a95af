import type { Diagnostic } from './diagnostic.ts';

/**
 * Renders diagnostics the way compilers do, one block per problem:
 *
 * ```
 * src/apis/x/v1/a.ts:12:5 - error unsupported-type: BackupSchedule.spec.at: `Date` has no JSON form
 *   hint: use `Time` from @kubeforge/runtime/api
 * ```
 *
 * followed by a summary line. No colours: callers that want them can wrap the output.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const blocks = diagnostics.map(formatDiagnostic);
  const count = (severity: Diagnostic['severity']): number =>
    diagnostics.filter((d) => d.severity === severity).length;
  const notes = count('note');
  const summary = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  if (notes > 0) summary.push(plural(notes, 'note'));
  return `${blocks.join('\n')}\n\n${summary.join(', ')}\n`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where =
    d.file === undefined ? '' : `${d.file}${d.line === undefined ? '' : `:${d.line}:${d.column ?? 1}`} - `;
  const path = d.path ? `${d.path}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}${d.severity} ${d.code}: ${path}${d.message}${hint}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
