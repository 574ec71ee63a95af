/**
 * Applies field markers to a converted schema, checking that each fits the schema's type
 * (`@minimum` on a number, `@listType map` on an array of objects keyed by required fields,
 * ...). Pure: no compiler objects, problems go to `report` with the marker that caused them.
 */
import type { Schema, ValidationRule, ValidationRuleSource } from '../model/index.ts';
import { defaultProblem, describeType } from './default-values.ts';
import { capNestedDescriptions, isScalarSchema } from '../model/index.ts';
import type { MarkerName, MarkerSet } from '../markers/index.ts';

export type MarkerReport = (
  marker: MarkerName,
  severity: 'error' | 'warning',
  code: string,
  message: string,
  hint?: string,
) => void;

/** Formats the API server validates (k8s.io/kube-openapi's registry); others are not checked. */
export const knownFormats: ReadonlySet<string> = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'date-time',
  'int32',
  'int64',
  'float',
  'double',
]);

const numberMarkers = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;
const stringMarkers = ['minLength', 'maxLength', 'pattern'] as const;
const arrayMarkers = ['minItems', 'maxItems', 'uniqueItems', 'listType', 'listMapKey'] as const;
const objectMarkers = ['minProperties', 'maxProperties', 'mapType', 'structType'] as const;

/** Where each `@validation` rule's expressions start in the source, by the tag's offset. */
export type RuleLocator = (offset: number, rule: ValidationRule) => ValidationRuleSource | undefined;

export function applyFieldMarkers(
  input: Schema,
  markers: MarkerSet,
  report: MarkerReport,
  locate: RuleLocator = () => undefined,
): Schema {
  if (markers.names.length === 0) return input;
  let schema: Record<string, unknown> = { ...input };
  const isNumber = input.type === 'integer' || input.type === 'number';
  const isString = input.type === 'string' || input['x-kubernetes-int-or-string'] === true;
  const misplaced = (name: MarkerName, expected: string): void =>
    report(
      name,
      'error',
      'marker-type-mismatch',
      `@${name} applies to ${expected}, but this is ${describeType(input)}`,
    );

  for (const name of numberMarkers) {
    const value = markers.get(name);
    if (value === undefined) continue;
    if (!isNumber) {
      misplaced(name, 'numbers');
      continue;
    }
    if (name === 'exclusiveMinimum' || name === 'exclusiveMaximum') {
      const bound = name === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (markers.has(bound)) {
        report(
          name,
          'error',
          'conflicting-markers',
          `@${name} and @${bound} cannot both be set`,
          `keep one of them`,
        );
        continue;
      }
      schema[bound] = value;
      schema[name] = true;
    } else {
      schema[name] = value;
    }
  }
  for (const name of stringMarkers) {
    const value = markers.get(name);
    if (value === undefined) continue;
    if (!isString) misplaced(name, 'strings');
    else schema[name] = value;
  }

  const format = markers.get('format');
  if (format !== undefined) {
    if ((format === 'int32' || format === 'int64') && isNumber) {
      schema.type = 'integer';
      schema.format = format;
    } else if (isString || isNumber) {
      schema.format = format;
      if (!knownFormats.has(format)) {
        report(
          'format',
          'warning',
          'unknown-format',
          `the API server does not know format "${format}" and will not check it`,
        );
      }
    } else {
      misplaced('format', 'strings and numbers');
    }
  }

  if (input.type === 'array') schema = applyArrayMarkers(schema, input, markers, report);
  else for (const name of arrayMarkers) if (markers.has(name)) misplaced(name, 'arrays');

  if (input.type === 'object') {
    schema = applyObjectMarkers(schema, input, markers, report);
  } else {
    for (const name of objectMarkers) if (markers.has(name)) misplaced(name, 'objects and maps');
  }

  if (markers.has('preserveUnknownFields')) {
    if (input.type === undefined || input.type === 'object')
      schema['x-kubernetes-preserve-unknown-fields'] = true;
    else misplaced('preserveUnknownFields', 'objects and unknown values');
  }
  if (markers.has('embeddedResource')) {
    if (input.type === undefined || input.type === 'object') {
      schema.type = 'object';
      schema['x-kubernetes-embedded-resource'] = true;
      if (input.properties === undefined) schema['x-kubernetes-preserve-unknown-fields'] = true;
    } else {
      misplaced('embeddedResource', 'objects');
    }
  }
  if (markers.has('intOrString') && !input['x-kubernetes-int-or-string']) {
    report(
      'intOrString',
      'error',
      'marker-type-mismatch',
      `@intOrString applies to number | string, but this is ${describeType(input)}`,
    );
  }
  if (markers.has('nullable')) {
    const nullable = withNullable(schema);
    if (nullable) schema = { ...nullable };
    else
      report(
        'nullable',
        'error',
        'unsupported-type',
        'a nullable enum must consist of strings (and have no @pattern)',
        'drop null, or use string literals',
      );
  }

  const rules = markers.occurrences('validation').map(({ value, offset }) => {
    const source = locate(offset, value);
    return source === undefined ? value : { ...value, source };
  });
  if (rules.length > 0)
    schema['x-kubernetes-validations'] = [...(input['x-kubernetes-validations'] ?? []), ...rules];

  const defaultValue = markers.get('default');
  if (defaultValue !== undefined) {
    const problem = defaultProblem(defaultValue, schema);
    if (problem === undefined) schema.default = defaultValue;
    else report('default', 'error', 'invalid-default', `@default ${JSON.stringify(defaultValue)} ${problem}`);
  }
  const maxDescriptionLength = markers.get('maxDescriptionLength');
  return maxDescriptionLength === undefined ? schema : capNestedDescriptions(schema, maxDescriptionLength);
}

function applyArrayMarkers(
  schema: Record<string, unknown>,
  input: Schema,
  markers: MarkerSet,
  report: MarkerReport,
): Record<string, unknown> {
  const items = input.items ?? {};
  const minItems = markers.get('minItems');
  const maxItems = markers.get('maxItems');
  if (minItems !== undefined) schema.minItems = minItems;
  if (maxItems !== undefined) schema.maxItems = maxItems;
  const listType = markers.get('listType');
  const keys = markers.getAll('listMapKey');
  if (markers.has('uniqueItems')) {
    if (!isScalarSchema(items)) {
      report(
        'uniqueItems',
        'error',
        'marker-type-mismatch',
        '@uniqueItems needs scalar items (CRD schemas forbid uniqueItems on objects)',
        'for objects use @listType map with @listMapKey',
      );
    } else if (listType !== undefined && listType !== 'set') {
      report(
        'uniqueItems',
        'error',
        'conflicting-markers',
        `@uniqueItems makes the list a set, but @listType is ${listType}`,
      );
    } else {
      schema['x-kubernetes-list-type'] = 'set';
    }
  }
  if (listType === 'set' && !isScalarSchema(items)) {
    report(
      'listType',
      'error',
      'marker-type-mismatch',
      '@listType set needs scalar items',
      'use @listType map with @listMapKey for objects',
    );
  } else if (listType === 'map') {
    if (items.type !== 'object' || items.properties === undefined) {
      report(
        'listType',
        'error',
        'marker-type-mismatch',
        '@listType map needs items that are objects with properties',
      );
    } else if (keys.length === 0) {
      report(
        'listType',
        'error',
        'missing-marker',
        '@listType map needs at least one @listMapKey',
        'add @listMapKey <field>',
      );
    } else {
      for (const key of keys) {
        const keySchema = items.properties[key];
        if (keySchema === undefined) {
          report(
            'listMapKey',
            'error',
            'invalid-marker',
            `@listMapKey ${key} is not a property of the items`,
          );
        } else if (!isScalarSchema(keySchema)) {
          report('listMapKey', 'error', 'invalid-marker', `@listMapKey ${key} must be a scalar field`);
        } else if (!(items.required ?? []).includes(key) && keySchema.default === undefined) {
          report(
            'listMapKey',
            'error',
            'invalid-marker',
            `@listMapKey ${key} must be a required field (or have a @default)`,
            `declare ${key} without "?"`,
          );
        }
      }
      schema['x-kubernetes-list-map-keys'] = keys;
    }
    schema['x-kubernetes-list-type'] = 'map';
  } else if (listType !== undefined) {
    schema['x-kubernetes-list-type'] = listType;
  }
  if (keys.length > 0 && listType !== 'map') {
    report('listMapKey', 'error', 'missing-marker', '@listMapKey needs @listType map');
  }
  return schema;
}

function applyObjectMarkers(
  schema: Record<string, unknown>,
  input: Schema,
  markers: MarkerSet,
  report: MarkerReport,
): Record<string, unknown> {
  const minProperties = markers.get('minProperties');
  const maxProperties = markers.get('maxProperties');
  if (minProperties !== undefined) schema.minProperties = minProperties;
  if (maxProperties !== undefined) schema.maxProperties = maxProperties;
  const mapType = markers.get('mapType');
  if (mapType !== undefined) {
    if (input.additionalProperties === undefined) {
      report(
        'mapType',
        'error',
        'marker-type-mismatch',
        '@mapType applies to maps (Record<string, T>); this object has fixed properties',
        'use @structType',
      );
    } else {
      schema['x-kubernetes-map-type'] = mapType;
    }
  }
  const structType = markers.get('structType');
  if (structType !== undefined) {
    if (input.additionalProperties !== undefined) {
      report(
        'structType',
        'error',
        'marker-type-mismatch',
        '@structType applies to objects with fixed properties; this is a map',
        'use @mapType',
      );
    } else {
      schema['x-kubernetes-map-type'] = structType;
    }
  }
  return schema;
}

/**
 * Allows `null`, or `undefined` when that cannot be expressed. The API server checks enum
 * membership even for `null`, and a `null` inside `enum` breaks CRD conversion on servers
 * before 1.21 (verified on 1.20), so a nullable string enum becomes an anchored `pattern`
 * (patterns ignore `null`); other nullable enums have no sound form.
 */
export function withNullable(schema: Schema): Schema | undefined {
  if (schema.enum === undefined) return { ...schema, nullable: true };
  const values = schema.enum.filter((v) => v !== null);
  if (!values.every((v) => typeof v === 'string') || schema.pattern !== undefined) return undefined;
  const { enum: _enum, ...rest } = schema;
  const alternatives = values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { ...rest, nullable: true, pattern: `^(${alternatives.join('|')})$` };
}
