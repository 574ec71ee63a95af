/**
 * What the parse stage shares while walking one program: the type checker, the diagnostic
 * sink, positions relative to the project, and doc comments with their markers (read once
 * per declaration).
 */
import { relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import type { DiagnosticSink } from '../diagnostics/index.ts';
import {
  checkTagLines,
  collectMarkers,
  MarkerSet,
  parseDocComment,
  type MarkerProblemReporter,
  type MarkerTarget,
} from '../markers/index.ts';
import type { ValidationRuleSource } from '../model/index.ts';
import type { BuiltinTypes } from './builtin-types.ts';
import type { PackageLocator } from './runtime-types.ts';

export interface DocInfo {
  readonly description: string;
  readonly markers: MarkerSet;
}

const noDoc: DocInfo = { description: '', markers: MarkerSet.empty };

export class SourceContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly sink: DiagnosticSink;
  readonly projectDir: string;
  readonly packages: PackageLocator;
  readonly builtins: BuiltinTypes;
  readonly #docs = new Map<string, DocInfo>();
  readonly #docIds = new WeakMap<ts.Node, number>();
  #nextDocId = 0;

  constructor(
    program: ts.Program,
    sink: DiagnosticSink,
    projectDir: string,
    packages: PackageLocator,
    builtins: BuiltinTypes,
  ) {
    this.program = program;
    this.builtins = builtins;
    this.checker = program.getTypeChecker();
    this.sink = sink;
    this.projectDir = projectDir;
    this.packages = packages;
  }

  relativePath(fileName: string): string {
    return relative(this.projectDir, fileName).split(sep).join('/');
  }

  /** Whether a file is the user's (inside the project, not a dependency or the TS library). */
  isProjectFile(file: ts.SourceFile): boolean {
    if (this.program.isSourceFileDefaultLibrary(file) || this.program.isSourceFileFromExternalLibrary(file))
      return false;
    const rel = this.relativePath(file.fileName);
    return !rel.startsWith('..') && !rel.includes('node_modules/');
  }

  isLibFile(file: ts.SourceFile): boolean {
    return (
      this.program.isSourceFileDefaultLibrary(file) || /[\\/]typescript[\\/]lib[\\/]/.test(file.fileName)
    );
  }

  isRuntimeDeclaration(node: ts.Node): boolean {
    return this.packages.isRuntimeFile(node.getSourceFile().fileName);
  }

  location(node: ts.Node, offset?: number): { file: string; line: number; column: number } {
    const file = node.getSourceFile();
    const { line, character } = file.getLineAndCharacterOfPosition(offset ?? node.getStart(file));
    return { file: this.relativePath(file.fileName), line: line + 1, column: character + 1 };
  }

  /**
   * Where the expressions of the `@validation` tag at `offset` start (`rule=` and
   * `messageExpression=` values), for diagnostics that point into them; `undefined` outside
   * the project.
   */
  ruleSource(node: ts.Node, offset: number): ValidationRuleSource | undefined {
    const file = node.getSourceFile();
    if (!this.isProjectFile(file)) return undefined;
    const text = file.getFullText();
    const end = text.indexOf('*/', offset);
    const tag = text.slice(offset, end < 0 ? undefined : end);
    const start = (key: string): number | undefined => {
      const match = new RegExp(`(^|\\s)${key}=(["']?)`).exec(tag);
      return match ? offset + match.index + match[0].length : undefined;
    };
    const rule = start('rule');
    if (rule === undefined) return undefined;
    const at = (position: number): { line: number; column: number } => {
      const { line, character } = file.getLineAndCharacterOfPosition(position);
      return { line: line + 1, column: character + 1 };
    };
    const messageExpression = start('messageExpression');
    return {
      file: this.relativePath(file.fileName),
      ...at(rule),
      ...(messageExpression === undefined ? {} : { messageExpression: at(messageExpression) }),
    };
  }

  /**
   * The JSDoc description and markers of a declaration (its last `/** *\/` comment). Marker
   * problems are reported once, for declarations in the project; `path` names the first use.
   */
  doc(node: ts.Node, targets: readonly MarkerTarget[], path: string): DocInfo {
    let id = this.#docIds.get(node);
    if (id === undefined) {
      id = this.#nextDocId++;
      this.#docIds.set(node, id);
    }
    const key = `${id}:${targets.join(',')}`;
    const cached = this.#docs.get(key);
    if (cached) return cached;
    const info = this.#readDoc(node, targets, path);
    this.#docs.set(key, info);
    return info;
  }

  #readDoc(node: ts.Node, targets: readonly MarkerTarget[], path: string): DocInfo {
    const file = node.getSourceFile();
    const text = file.getFullText();
    const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
    const range = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
    if (range === undefined) return noDoc;
    const parsed = parseDocComment(text.slice(range.pos, range.end), range.pos);
    if (parsed === undefined) return noDoc;
    const isProjectFile = this.isProjectFile(file);
    const report: MarkerProblemReporter = (offset, severity, code, message, hint) => {
      if (!isProjectFile) return;
      const where = { ...this.location(node, offset), path };
      if (severity === 'error') this.sink.error(code, message, where, hint);
      else this.sink.warning(code, message, where, hint);
    };
    const spoiled = checkTagLines(parsed, report);
    const tags = spoiled.size === 0 ? parsed.tags : parsed.tags.filter((tag) => !spoiled.has(tag));
    const markers = collectMarkers(tags, targets, report);
    return { description: parsed.description, markers };
  }
}
