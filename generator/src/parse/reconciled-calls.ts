/**
 * Tells the user when a controller's call to a generated `mark<Kind>Reconciled` no longer does
 * what the controller scaffold that wrote it expected. The function follows the kind's types,
 * so the call keeps compiling when the status changes; but a status without
 * `observedGeneration`, or without a `conditions` list of the runtime's `Condition`, means the
 * call records less (or nothing), which the compiler cannot point out. One warning per call,
 * at the call, saying what is no longer recorded and what the scaffold expected.
 *
 * Controller files are parsed alone (no type information): a call is recognised by the name
 * it was imported as from a generated module, `src/generated/<group>/<version>/<kind>.ts`.
 */
import { ts } from 'ts-morph';
import { statusFieldsOf, missingStatusFields, reconciledFunctionName } from '../view-models/reconciled.ts';
import type { KindModel, VersionModel } from '../model/index.ts';
import type { SourceContext } from './source-context.ts';

const generatedModule = /(?:^|\/)generated\/([^/]+)\/([^/]+)\/[^/]+\.[cm]?[jt]s$/;

export function checkReconciledCalls(
  ctx: SourceContext,
  files: readonly ts.SourceFile[],
  kinds: readonly KindModel[],
): void {
  const byFunction = new Map(kinds.map((kind) => [reconciledFunctionName(kind), kind]));
  for (const file of files) {
    const imported = importedHelpers(file, byFunction);
    if (imported.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const target = imported.get(node.expression.text);
        if (target !== undefined) report(ctx, node, target.kind, target.version);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}

/** Local name -> the kind and version whose generated `mark<Kind>Reconciled` it imports. */
function importedHelpers(
  file: ts.SourceFile,
  byFunction: ReadonlyMap<string, KindModel>,
): Map<string, { kind: KindModel; version: VersionModel }> {
  const imported = new Map<string, { kind: KindModel; version: VersionModel }>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const match = generatedModule.exec(statement.moduleSpecifier.text);
    const bindings = statement.importClause?.namedBindings;
    if (match === null || bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      const kind = byFunction.get((element.propertyName ?? element.name).text);
      const version = kind?.versions.find((v) => kind.group === match[1] && v.name === match[2]);
      if (kind !== undefined && version !== undefined) imported.set(element.name.text, { kind, version });
    }
  }
  return imported;
}

function report(ctx: SourceContext, call: ts.CallExpression, kind: KindModel, version: VersionModel): void {
  const fields = statusFieldsOf(version);
  const missing = missingStatusFields(kind, fields);
  if (missing.length === 0) return;
  const name = reconciledFunctionName(kind);
  const lost = [
    ...(fields.start !== 'none' && fields.observedGeneration ? [] : ['`status.observedGeneration`']),
    ...(fields.start !== 'none' && fields.conditions === 'runtime' ? [] : ['the `Ready` condition']),
  ];
  ctx.sink.warning(
    'scaffold-status',
    `${name} no longer records ${lost.join(' or ')}: ${missing.join(', and ')}`,
    { ...ctx.location(call.expression), path: kind.kind },
    `the controller scaffold expected a ${kind.kind} status with \`observedGeneration?: int64\` and \`conditions?: Condition[]\` (both from @kubeforge/runtime/api); declare them, or record your own status fields and remove this call`,
  );
}
