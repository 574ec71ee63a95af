/**
 * The CEL validation rules of every CRD version checked as the API server checks them when
 * the CRD is installed (types from the schema at each rule, messageExpression, reason,
 * fieldPath, transition-rule placement, the target version's libraries and fields, the cost
 * limits), by @kubeforge/testing/cel, the same code that evaluates rules in tests. Each
 * problem is an error at the rule's marker, with the column of the CEL error when there is
 * one: a CRD the server would refuse is never written.
 */
import { checkSchemaRules, type RuleProblem } from '@kubeforge/testing/cel';
import type { Diagnostic } from '../../diagnostics/index.ts';
import type { KindModel, ProjectModel, ValidationRule, VersionModel } from '../../model/index.ts';
import { celMinimumKubeVersion, kubeVersionAtLeast } from './options.ts';

export function checkValidationRules(model: ProjectModel, kubeVersion: string): Diagnostic[] {
  if (!kubeVersionAtLeast(kubeVersion, celMinimumKubeVersion)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const kind of model.kinds) {
    for (const version of kind.versions) {
      for (const problem of checkSchemaRules(version.schema, { kubeVersion })) {
        diagnostics.push(ruleDiagnostic(kind, version, problem));
      }
    }
  }
  return diagnostics;
}

function ruleDiagnostic(kind: KindModel, version: VersionModel, problem: RuleProblem): Diagnostic {
  // The schema checked is the model's, so its rules are the model's (with their source).
  const source = (problem.rule as ValidationRule).source;
  const inMessageExpression = problem.field === 'messageExpression';
  const start = inMessageExpression ? source?.messageExpression : source;
  const location =
    source === undefined
      ? { file: version.source.file }
      : {
          file: source.file,
          line: start?.line ?? source.line,
          column: (start?.column ?? source.column) + (problem.offset ?? 0),
        };
  const what =
    problem.field === 'rule'
      ? `rule "${problem.rule.rule}"`
      : `${problem.field} of rule "${problem.rule.rule}"`;
  return {
    severity: 'error',
    code: problem.code,
    message: `@validation ${what}: ${problem.message}`,
    ...location,
    path: problem.path === '' ? kind.kind : `${kind.kind}.${problem.path}`,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  };
}
