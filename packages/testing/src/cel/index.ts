/**
 * CRD validation rules (CEL, `x-kubernetes-validations`) as the Kubernetes API server checks
 * and evaluates them, without a server: `checkSchemaRules` finds what would make the server
 * refuse a CRD (type errors, misplaced transition rules, bad `fieldPath`/`reason`, features
 * newer than the target version, cost over the limits); `validateWithRules` and
 * `validateCustomResource` evaluate the rules against objects. The generator checks rules
 * with the same code, so what it accepts is what these evaluate.
 */
export {
  celSyntaxProblem,
  checkSchemaRules,
  fieldPathProblem,
  ruleLocations,
  type CheckRulesOptions,
  type RuleField,
  type RuleProblem,
} from './check-rules.ts';
export { estimateRuleCosts, celCostLimits, type CostProblem } from './cost.ts';
export { createRuleEnvironment, type OldSelfMode, type RuleEnvironmentOptions } from './environment.ts';
export { kubernetesLibraries, optionalTypesSince, type KubernetesLibrary } from './kubernetes-library.ts';
export {
  celPropertyName,
  validationReasons,
  type CelValidationRule,
  type StructuralSchema,
} from './structural-schema.ts';
export { validateWithRules, toCel, type RuleViolation, type ValidateOptions } from './validate.ts';
export { validateCustomResource, type CustomResourceValidationOptions } from './validate-custom-resource.ts';
export { latestKubeVersion, ruleFieldSince } from './versions.ts';
