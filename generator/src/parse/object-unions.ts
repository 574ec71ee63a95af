/**
 * Discriminated unions of objects (`{ type: 's3'; bucket: string } | { type: 'gcs'; ... }`).
 * Structural schemas cannot say "one of these shapes", so the union becomes one object with
 * every member's properties, the discriminator as an enum, and one CEL rule per member that
 * requires that member's fields and forbids the others' (enforced by servers >= 1.25).
 */
import { ts } from 'ts-morph';
import type { Schema, ValidationRule } from '../model/index.ts';
import type { SchemaBuilder, Site } from './schema-builder.ts';
import { celPropertyName } from '@kubeforge/testing/cel';

interface Member {
  readonly type: ts.Type;
  readonly properties: ReadonlyMap<string, ts.Symbol>;
}

export function unionOfObjects(
  builder: SchemaBuilder,
  types: readonly ts.Type[],
  site: Site,
): Schema | undefined {
  const checker = builder.ctx.checker;
  const members: Member[] = types.map((type) => ({
    type,
    properties: new Map(checker.getPropertiesOfType(type).map((p) => [p.name, p])),
  }));
  const discriminator = findDiscriminator(checker, members);
  if (discriminator === undefined) {
    return builder.error(
      site,
      'unsupported-union',
      'a union of object types needs a discriminator: a required property with distinct string literal types in every member',
      "add e.g. `type: 's3'` to one member and `type: 'gcs'` to the other",
    );
  }
  const { name, values } = discriminator;
  const schemas: Schema[] = [];
  for (const [index, member] of members.entries()) {
    const memberSite = { ...site, path: `${site.path}(${name}=${(values[index] ?? []).join('|')})` };
    const schema = builder.objectSchema(member.type, undefined, memberSite, {});
    if (schema === undefined) return undefined;
    schemas.push(schema);
  }

  const properties: Record<string, Schema> = {};
  for (const [index, schema] of schemas.entries()) {
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      if (property === name) continue;
      const existing = properties[property];
      if (existing === undefined) {
        properties[property] = propertySchema;
      } else if (fingerprint(existing) !== fingerprint(propertySchema)) {
        return builder.error(
          { ...site, path: `${site.path}.${property}` },
          'unsupported-union',
          `property ${property} has different types in the union members (${name}=${(values[index] ?? []).join('|')} differs)`,
          'give the property the same type in every member, or rename it',
        );
      }
    }
  }
  const allValues = values.flat();
  const firstDiscriminator = schemas[0]?.properties?.[name];
  properties[name] = {
    type: 'string',
    enum: allValues,
    ...(firstDiscriminator?.description ? { description: firstDiscriminator.description } : {}),
  };
  const requiredEverywhere = Object.keys(properties).filter(
    (p) => p !== name && schemas.every((s) => s.required?.includes(p)),
  );
  const rules: ValidationRule[] = [];
  for (const [index, schema] of schemas.entries()) {
    const memberValues = values[index] ?? [];
    const needs = (schema.required ?? []).filter((p) => p !== name && !requiredEverywhere.includes(p));
    const forbids = Object.keys(properties).filter((p) => p !== name && !(p in (schema.properties ?? {})));
    if (needs.length === 0 && forbids.length === 0) continue;
    const field = `self.${celField(name)}`;
    const guard =
      memberValues.length === 1
        ? `${field} != ${JSON.stringify(memberValues[0])}`
        : `!(${field} in [${memberValues.map((v) => JSON.stringify(v)).join(', ')}])`;
    const checks = [
      ...needs.map((p) => `has(self.${celField(p)})`),
      ...forbids.map((p) => `!has(self.${celField(p)})`),
    ];
    const parts = [
      ...(needs.length > 0 ? [`${needs.join(', ')} ${needs.length === 1 ? 'is' : 'are'} required`] : []),
      ...(forbids.length > 0 ? [`${forbids.join(', ')} must not be set`] : []),
    ];
    rules.push({
      rule: `${guard} || ${checks.length === 1 ? (checks[0] ?? '') : `(${checks.join(' && ')})`}`,
      message: `when ${name} is ${memberValues.join(' or ')}: ${parts.join('; ')}`,
    });
  }
  return {
    type: 'object',
    properties,
    required: [name, ...requiredEverywhere].sort(),
    ...(rules.length > 0 ? { 'x-kubernetes-validations': rules } : {}),
  };
}

function findDiscriminator(
  checker: ts.TypeChecker,
  members: readonly Member[],
): { readonly name: string; readonly values: readonly (readonly string[])[] } | undefined {
  const [first] = members;
  if (first === undefined) return undefined;
  const candidates = [...first.properties.keys()]
    .filter((n) => members.every((m) => m.properties.has(n)))
    .sort();
  for (const name of candidates) {
    const values: string[][] = [];
    for (const member of members) {
      const symbol = member.properties.get(name);
      if (symbol === undefined || symbol.flags & ts.SymbolFlags.Optional) break;
      const type = checker.getTypeOfSymbol(symbol);
      const literals = type.flags & ts.TypeFlags.Union ? (type as ts.UnionType).types : [type];
      if (!literals.every((t) => t.flags & ts.TypeFlags.StringLiteral)) break;
      values.push(literals.map((t) => (t as ts.StringLiteralType).value));
    }
    const flat = values.flat();
    if (values.length === members.length && new Set(flat).size === flat.length) return { name, values };
  }
  return undefined;
}

/** A schema's shape without descriptions, to compare properties shared by members. */
function fingerprint(schema: Schema): string {
  return JSON.stringify(schema, (key, value: unknown) => (key === 'description' ? undefined : value));
}

/** A property name as CEL sees it (Kubernetes' escaping of `__`, `.`, `-`, `/` and keywords). */
export function celField(name: string): string {
  // A name rules cannot reach stays as written; the rule check then reports it.
  return celPropertyName(name) ?? name;
}
