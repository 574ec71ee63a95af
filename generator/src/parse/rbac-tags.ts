/**
 * Collects `@rbac` markers from every JSDoc comment of the files under `src/controllers/`
 * (on classes, functions, or free-standing), in file order.
 */
import { ts } from 'ts-morph';
import {
  checkTagLines,
  collectMarkers,
  parseDocComment,
  type MarkerProblemReporter,
} from '../markers/index.ts';
import type { RbacRule } from '../model/index.ts';
import type { SourceContext } from './source-context.ts';

export function isControllerFile(relativePath: string): boolean {
  return /^src\/controllers\/.+\.ts$/.test(relativePath) && !relativePath.endsWith('.d.ts');
}

export function collectRbacRules(ctx: SourceContext, files: readonly ts.SourceFile[]): readonly RbacRule[] {
  const rules: RbacRule[] = [];
  for (const file of files) {
    const relative = ctx.relativePath(file.fileName);
    if (!isControllerFile(relative)) continue;
    for (const range of docComments(file)) {
      const text = file.getFullText().slice(range.pos, range.end);
      const parsed = parseDocComment(text, range.pos);
      if (parsed === undefined || !/(^|\s)@rbac\b/.test(text)) continue;
      const report: MarkerProblemReporter = (offset, severity, code, message, hint) => {
        const where = ctx.location(file, offset);
        if (severity === 'error') ctx.sink.error(code, message, where, hint);
        else ctx.sink.warning(code, message, where, hint);
      };
      const spoiled = checkTagLines(parsed, report, (name) => name === 'rbac');
      const tags = parsed.tags.filter((t) => t.name === 'rbac' && !spoiled.has(t));
      const markers = collectMarkers(tags, ['controller'], report);
      for (const rule of markers.getAll('rbac')) rules.push({ ...rule, source: relative });
    }
  }
  return rules;
}

/** Every `/** *\/` comment of a file, once each, in order. */
function docComments(file: ts.SourceFile): readonly ts.CommentRange[] {
  const text = file.getFullText();
  const found = new Map<number, ts.CommentRange>();
  const collect = (pos: number): void => {
    for (const range of ts.getLeadingCommentRanges(text, pos) ?? []) {
      if (text.startsWith('/**', range.pos)) found.set(range.pos, range);
    }
  };
  const visit = (node: ts.Node): void => {
    collect(node.getFullStart());
    ts.forEachChild(node, visit);
  };
  visit(file);
  collect(file.endOfFileToken.getFullStart());
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}
