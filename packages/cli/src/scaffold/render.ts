/**
 * Renders a directory of Handlebars templates into planned files. Templates compile in strict
 * mode, so a field missing from the view model is an error rather than an empty string; they
 * are not HTML-escaped. `name.ext.hbs` renders to `name.ext`; other files are copied as they
 * are; a leading `_` becomes `.` (`_gitignore` -> `.gitignore`, which npm would drop).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import Handlebars from 'handlebars';
import type { PlannedFile } from './file-plan.ts';

const handlebars = Handlebars.create();

/** Renders one template string against a view model (strict, unescaped). */
export function renderTemplate(source: string, view: object, name = 'template'): string {
  try {
    return handlebars.compile(source, { strict: true, noEscape: true })(view);
  } catch (err) {
    throw new Error(`template ${name}: ${(err as Error).message}`, { cause: err });
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const entries = readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  return entries.flatMap((entry) => {
    const rel = prefix === '' ? entry.name : posix.join(prefix, entry.name);
    if (entry.isDirectory()) return listFiles(dir, rel);
    return [rel];
  });
}

function outputPath(templatePath: string): string {
  const segments = templatePath.split('/').map((s) => (s.startsWith('_') ? `.${s.slice(1)}` : s));
  const last = segments.pop() ?? '';
  return [...segments, last.endsWith('.hbs') ? last.slice(0, -'.hbs'.length) : last].join('/');
}

/** Every file below `dir`, rendered with `view`, as files to create. */
export function renderTemplateDir(dir: string, view: object): PlannedFile[] {
  return listFiles(dir).map((rel) => {
    const source = readFileSync(join(dir, rel), 'utf8');
    const contents = rel.endsWith('.hbs') ? renderTemplate(source, view, rel) : source;
    return { path: outputPath(rel), contents, mode: 'create' };
  });
}
