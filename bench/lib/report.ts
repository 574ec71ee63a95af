/**
 * What a scenario reports — tables of medians and ratios, and its targets marked met or
 * missed — and how reports render as console text and as Markdown.
 */

export interface Table {
  readonly caption?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** `not measured`: a contender could not run (e.g. the kubeforge part it needs has not landed). */
export type TargetStatus = 'met' | 'missed' | 'not measured';

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly status: TargetStatus;
}

export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  /** What was measured and how, in a sentence or two. */
  readonly method: string;
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
  /** Observations: profiles, hotspots, why a target was missed, contenders that could not run. */
  readonly notes: readonly string[];
}

/** Checks `measured` against a bound; NaN (a contender did not run) is `not measured`. */
export function checkTarget(
  target: string,
  value: number,
  goal: { readonly atLeast?: number; readonly atMost?: number; readonly below?: number },
  format: (value: number) => string,
): TargetCheck {
  if (!Number.isFinite(value)) return { target, measured: 'n/a', status: 'not measured' };
  const met =
    (goal.atLeast === undefined || value >= goal.atLeast) &&
    (goal.atMost === undefined || value <= goal.atMost) &&
    (goal.below === undefined || value < goal.below);
  return { target, measured: format(value), status: met ? 'met' : 'missed' };
}

export function targetsTable(targets: readonly TargetCheck[]): Table {
  return {
    caption: 'Targets',
    columns: ['target', 'measured', 'status'],
    rows: targets.map((t) => [t.target, t.measured, statusLabel(t.status)]),
  };
}

function statusLabel(status: TargetStatus): string {
  switch (status) {
    case 'met':
      return 'MET';
    case 'missed':
      return 'MISSED';
    case 'not measured':
      return 'not measured';
  }
}

/** A table as aligned plain text, for the console. */
export function renderText(table: Table): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  const out: string[] = [];
  if (table.caption !== undefined) out.push(table.caption);
  out.push(line(table.columns), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.rows) out.push(line(row));
  return out.join('\n');
}

/** A table as GitHub-flavoured Markdown, numbers right-aligned. */
export function renderMarkdown(table: Table): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  const out: string[] = [];
  if (table.caption !== undefined) out.push(`**${table.caption}**`, '');
  out.push(`| ${table.columns.map(escape).join(' | ')} |`);
  out.push(`| ${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of table.rows) out.push(`| ${row.map(escape).join(' | ')} |`);
  return out.join('\n');
}

export function renderScenarioText(report: ScenarioReport): string {
  const parts = [`== ${report.title} ==`];
  for (const table of report.tables) parts.push(renderText(table));
  if (report.targets.length > 0) parts.push(renderText(targetsTable(report.targets)));
  for (const note of report.notes) parts.push(`note: ${note}`);
  return parts.join('\n\n');
}

export function renderScenarioMarkdown(report: ScenarioReport): string {
  const parts = [`## ${report.title}`, report.method];
  for (const table of report.tables) parts.push(renderMarkdown(table));
  if (report.targets.length > 0) parts.push(renderMarkdown(targetsTable(report.targets)));
  if (report.notes.length > 0) parts.push(report.notes.map((note) => `- ${note}`).join('\n'));
  return parts.join('\n\n');
}
