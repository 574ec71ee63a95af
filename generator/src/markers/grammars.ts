/**
 * The argument grammars of the markers with structured arguments (`@subresource`,
 * `@printColumn`, `@validation`, `@rbac`): each parses its text into the model's value or
 * explains what is wrong. definitions.ts puts them in the marker table.
 */
import { parse as parseCel } from '@bufbuild/cel';
import type { PrinterColumn, RbacRule, ScaleSubresource, ValidationRule } from '../model/index.ts';
import { argumentError, argumentOk, keyValues, splitList, type ArgumentGrammar } from './arguments.ts';

export type SubresourceMarker = { readonly kind: 'status' } | ({ readonly kind: 'scale' } & ScaleSubresource);
export type RbacMarker = Omit<RbacRule, 'source'>;

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

export const validation = keyValues<ValidationRule>(
  [
    { name: 'rule', required: true, syntax: '<CEL expression>' },
    { name: 'message', required: false, syntax: '<string>' },
  ],
  (pairs) => {
    const rule = pairs.get('rule') ?? '';
    if (rule.trim() === '') return argumentError('rule must not be empty');
    const syntax = celSyntaxError(rule);
    if (syntax !== undefined)
      return argumentError(
        `rule is not valid CEL: ${syntax}`,
        'see https://kubernetes.io/docs/reference/using-api/cel/',
      );
    const message = pairs.get('message');
    return argumentOk(message === undefined ? { rule } : { rule, message });
  },
);

/** The parser's message for a rule that is not CEL, or `undefined` when it parses. */
function celSyntaxError(rule: string): string | undefined {
  try {
    parseCel(rule);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^<input>:/, '');
  }
}

export const rbacVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export const rbac = keyValues<RbacMarker>(
  [
    { name: 'groups', required: false, syntax: '<group;...>' },
    { name: 'resources', required: false, syntax: '<resource;...>' },
    { name: 'verbs', required: true, syntax: '<verb;...>' },
    { name: 'resourceNames', required: false, syntax: '<name;...>' },
    { name: 'urls', required: false, syntax: '</path;...>' },
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
    return argumentOk({ apiGroups, resources, verbs, resourceNames: list('resourceNames'), nonResourceURLs });
  },
);
