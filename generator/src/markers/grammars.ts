/**
 * The argument grammars of the markers with structured arguments (`@subresource`,
 * `@printColumn`, `@validation`, `@rbac`, `@defaulting`, `@validating`): each parses its text into the model's value or
 * explains what is wrong. definitions.ts puts them in the marker table.
 */
import { celSyntaxProblem, validationReasons } from '@kubeforge/testing/cel';
import type {
  AdmissionOperation,
  AdmissionWebhookModel,
  PrinterColumn,
  RbacRule,
  ScaleSubresource,
  ValidationRule,
} from '../model/index.ts';
import { argumentError, argumentOk, keyValues, splitList, type ArgumentGrammar } from './arguments.ts';

export type SubresourceMarker = { readonly kind: 'status' } | ({ readonly kind: 'scale' } & ScaleSubresource);
export type RbacMarker = Omit<RbacRule, 'source'>;
export type AdmissionWebhookMarker = AdmissionWebhookModel;

const jsonPathSyntax = '<.json.path>';

export const subresource: ArgumentGrammar<SubresourceMarker> = {
  syntax: `status | scale specReplicasPath=${jsonPathSyntax} statusReplicasPath=${jsonPathSyntax} [labelSelectorPath=${jsonPathSyntax}]`,
  parse(input) {
    const [head = '', ...rest] = input.split(/\s+/);
    if (head === 'status') {
      return rest.length === 0 ? argumentOk({ kind: 'status' }) : argumentError('status takes no arguments');
    }
    if (head !== 'scale') return argumentError(`expects status or scale, got "${head}"`);
    const scale = keyValues<SubresourceMarker>(
      [
        { name: 'specReplicasPath', required: true, syntax: jsonPathSyntax },
        { name: 'statusReplicasPath', required: true, syntax: jsonPathSyntax },
        { name: 'labelSelectorPath', required: false, syntax: jsonPathSyntax },
      ],
      (pairs) => {
        for (const [key, value] of pairs) {
          if (!value.startsWith('.')) return argumentError(`${key} must be a JSONPath starting with "."`);
        }
        const selector = pairs.get('labelSelectorPath');
        return argumentOk({
          kind: 'scale',
          specReplicasPath: pairs.get('specReplicasPath') ?? '',
          statusReplicasPath: pairs.get('statusReplicasPath') ?? '',
          ...(selector === undefined ? {} : { labelSelectorPath: selector }),
        });
      },
    );
    return scale.parse(input.slice(head.length).trim());
  },
};

export const printerColumnTypes = ['integer', 'number', 'string', 'boolean', 'date'] as const;

export const printColumn = keyValues<PrinterColumn>(
  [
    { name: 'name', required: true, syntax: '<string>' },
    { name: 'type', required: true, syntax: printerColumnTypes.join('|') },
    { name: 'jsonPath', required: true, syntax: jsonPathSyntax },
    { name: 'description', required: false, syntax: '<string>' },
    { name: 'format', required: false, syntax: '<format>' },
    { name: 'priority', required: false, syntax: '<integer>' },
  ],
  (pairs) => {
    const type = pairs.get('type') ?? '';
    if (!(printerColumnTypes as readonly string[]).includes(type)) {
      return argumentError(`has type=${type}; expected one of ${printerColumnTypes.join(', ')}`);
    }
    const jsonPath = pairs.get('jsonPath') ?? '';
    if (!jsonPath.startsWith('.')) return argumentError('jsonPath must start with "."');
    const priority = pairs.get('priority');
    if (priority !== undefined && !/^\d+$/.test(priority)) {
      return argumentError(`priority must be a non-negative integer, got "${priority}"`);
    }
    const description = pairs.get('description');
    const format = pairs.get('format');
    return argumentOk({
      name: pairs.get('name') ?? '',
      type: type as PrinterColumn['type'],
      jsonPath,
      ...(description === undefined ? {} : { description }),
      ...(format === undefined ? {} : { format }),
      ...(priority === undefined ? {} : { priority: Number(priority) }),
    });
  },
);

const celHint = 'see https://kubernetes.io/docs/reference/using-api/cel/';

/**
 * `@validation rule=<CEL> [message=..] [messageExpression=<CEL>] [reason=..] [fieldPath=..]
 * [optionalOldSelf=true|false]`. Checked here: syntax and the closed sets; the types, the
 * fieldPath against the schema, placement, cost and the target version are checked on the
 * whole schema (emit/crd/rule-checks.ts).
 */
export const validation = keyValues<ValidationRule>(
  [
    { name: 'rule', required: true, syntax: '<CEL expression>' },
    { name: 'message', required: false, syntax: '<string>' },
    { name: 'messageExpression', required: false, syntax: '<CEL expression returning a string>' },
    { name: 'reason', required: false, syntax: validationReasons.join('|') },
    { name: 'fieldPath', required: false, syntax: '<.relative.json.path>' },
    { name: 'optionalOldSelf', required: false, syntax: 'true|false' },
  ],
  (pairs) => {
    const rule = pairs.get('rule') ?? '';
    if (rule.trim() === '') return argumentError('rule must not be empty');
    const syntax = celSyntaxError(rule);
    if (syntax !== undefined) return argumentError(`rule is not valid CEL: ${syntax}`, celHint);
    const message = pairs.get('message');
    if (message?.trim() === '')
      return argumentError('message must not be empty', 'drop message= or say what is wrong');
    const messageExpression = pairs.get('messageExpression');
    if (messageExpression !== undefined) {
      if (messageExpression.trim() === '') return argumentError('messageExpression must not be empty');
      const problem = celSyntaxError(messageExpression);
      if (problem !== undefined)
        return argumentError(`messageExpression is not valid CEL: ${problem}`, celHint);
    }
    const reason = pairs.get('reason');
    if (reason !== undefined && !(validationReasons as readonly string[]).includes(reason)) {
      return argumentError(`has reason=${reason}; expected one of ${validationReasons.join(', ')}`);
    }
    const fieldPath = pairs.get('fieldPath');
    if (fieldPath !== undefined && !fieldPath.startsWith('.')) {
      return argumentError(
        `fieldPath must be a JSONPath relative to the field, starting with ".", got "${fieldPath}"`,
        "e.g. fieldPath=.replicas or fieldPath=.labels['app.kubernetes.io/name']",
      );
    }
    const optional = pairs.get('optionalOldSelf');
    if (optional !== undefined && optional !== 'true' && optional !== 'false') {
      return argumentError(`optionalOldSelf expects true or false, got "${optional}"`);
    }
    return argumentOk({
      rule,
      ...(message === undefined ? {} : { message }),
      ...(messageExpression === undefined ? {} : { messageExpression }),
      ...(reason === undefined ? {} : { reason }),
      ...(fieldPath === undefined ? {} : { fieldPath }),
      ...(optional === undefined ? {} : { optionalOldSelf: optional === 'true' }),
    });
  },
);

/** The parser's message for an expression that is not CEL, with its column, or `undefined`. */
function celSyntaxError(expression: string): string | undefined {
  const problem = celSyntaxProblem(expression);
  return problem === undefined
    ? undefined
    : `${problem.message} (at column ${problem.offset + 1} of the expression)`;
}

export const rbacVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export const rbac = keyValues<RbacMarker>(
  [
    { name: 'groups', required: false, syntax: '<group;...>' },
    { name: 'resources', required: false, syntax: '<resource;...>' },
    { name: 'verbs', required: true, syntax: '<verb;...>' },
    { name: 'resourceNames', required: false, syntax: '<name;...>' },
    { name: 'urls', required: false, syntax: '</path;...>' },
    { name: 'namespace', required: false, syntax: '<namespace>' },
  ],
  (pairs) => {
    const list = (key: string): readonly string[] => {
      const value = pairs.get(key);
      return value === undefined ? [] : splitList(value);
    };
    const apiGroups = list('groups').map((g) => (g === 'core' ? '' : g));
    const resources = list('resources');
    const verbs = list('verbs');
    const nonResourceURLs = list('urls');
    if (nonResourceURLs.length > 0 && (apiGroups.length > 0 || resources.length > 0)) {
      return argumentError('urls cannot be combined with groups or resources');
    }
    if (nonResourceURLs.length === 0 && (!pairs.has('groups') || resources.length === 0)) {
      return argumentError(
        'needs groups=<group;...> and resources=<resource;...> (or urls=<path;...>)',
        'the core group is groups=core or groups=""',
      );
    }
    for (const verb of verbs) {
      if (verb !== '*' && !rbacVerbs.includes(verb)) {
        return argumentError(`has an unknown verb "${verb}"`, `verbs: ${rbacVerbs.join(', ')} or *`);
      }
    }
    const namespace = pairs.get('namespace');
    if (namespace !== undefined) {
      if (nonResourceURLs.length > 0) {
        return argumentError(
          'urls cannot be combined with namespace',
          'non-resource URLs are granted cluster-wide only (a ClusterRole); drop namespace=',
        );
      }
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
        return argumentError(
          `has an invalid namespace "${namespace}"`,
          'a namespace is a DNS label: at most 63 lowercase letters, digits and -, starting and ending with a letter or digit',
        );
      }
    }
    return argumentOk({
      apiGroups,
      resources,
      verbs,
      resourceNames: list('resourceNames'),
      nonResourceURLs,
      ...(namespace === undefined ? {} : { namespace }),
    });
  },
);

export const admissionVerbs = ['create', 'update', 'delete'] as const;
export const failurePolicies = ['Fail', 'Ignore'] as const;
export const sideEffectClasses = ['None', 'NoneOnDryRun'] as const;
/** The API server's limits of a webhook's `timeoutSeconds`. */
export const webhookTimeoutRange = { min: 1, max: 30 } as const;

/**
 * `@defaulting` / `@validating`: `[verbs=create;update;delete] [failurePolicy=Fail|Ignore]
 * [sideEffects=None|NoneOnDryRun] [timeoutSeconds=<1-30>]`. Defaulting runs on create and
 * update only (what the runtime's `defaulting` answers), so it takes no `delete`.
 */
export function admissionWebhook(role: 'defaulting' | 'validating'): ArgumentGrammar<AdmissionWebhookMarker> {
  const verbs = role === 'defaulting' ? admissionVerbs.filter((v) => v !== 'delete') : admissionVerbs;
  return keyValues<AdmissionWebhookMarker>(
    [
      { name: 'verbs', required: false, syntax: `<${verbs.join('|')};...>` },
      { name: 'failurePolicy', required: false, syntax: failurePolicies.join('|') },
      { name: 'sideEffects', required: false, syntax: sideEffectClasses.join('|') },
      {
        name: 'timeoutSeconds',
        required: false,
        syntax: `<${webhookTimeoutRange.min}-${webhookTimeoutRange.max}>`,
      },
    ],
    (pairs) => {
      const listed = splitList(pairs.get('verbs') ?? 'create;update');
      if (listed.length === 0) return argumentError('verbs must name at least one verb');
      for (const verb of listed) {
        if (!(verbs as readonly string[]).includes(verb)) {
          return argumentError(
            `has verb "${verb}"; ${role} webhooks take ${verbs.join(', ')}`,
            role === 'defaulting' && verb === 'delete'
              ? 'defaulting runs on create and update; to act on deletes use @validating verbs=delete'
              : undefined,
          );
        }
      }
      const failurePolicy = pairs.get('failurePolicy') ?? 'Fail';
      if (!(failurePolicies as readonly string[]).includes(failurePolicy)) {
        return argumentError(
          `has failurePolicy=${failurePolicy}; expected Fail or Ignore`,
          'Fail refuses writes while the webhook cannot answer; Ignore lets them through unchecked',
        );
      }
      const sideEffects = pairs.get('sideEffects') ?? 'None';
      if (!(sideEffectClasses as readonly string[]).includes(sideEffects)) {
        return argumentError(
          `has sideEffects=${sideEffects}; expected None or NoneOnDryRun`,
          'admissionregistration.k8s.io/v1 allows only webhooks without side effects on dry runs',
        );
      }
      const timeout = pairs.get('timeoutSeconds') ?? '10';
      const timeoutSeconds = Number(timeout);
      if (
        !/^\d+$/.test(timeout) ||
        timeoutSeconds < webhookTimeoutRange.min ||
        timeoutSeconds > webhookTimeoutRange.max
      ) {
        return argumentError(
          `has timeoutSeconds=${timeout}; the API server allows whole seconds from ${webhookTimeoutRange.min} to ${webhookTimeoutRange.max}`,
        );
      }
      return argumentOk({
        operations: admissionVerbs
          .filter((v) => listed.includes(v))
          .map((v) => v.toUpperCase() as AdmissionOperation),
        failurePolicy: failurePolicy as AdmissionWebhookMarker['failurePolicy'],
        sideEffects: sideEffects as AdmissionWebhookMarker['sideEffects'],
        timeoutSeconds,
      });
    },
  );
}

export type ConversionMarker = 'hub' | 'none';
