/**
 * Description caps on model schemas: what `maxDescriptionLength` (every description of a
 * CRD, at emit time) and the `@maxDescriptionLength` marker (everything below one field, at
 * parse time) do. Pure functions over any schema subtree, embedded types included.
 */
import type { Schema } from './schema.ts';

/** Cuts a description to `max` characters at a word boundary, ending with `...`; 0 drops it. */
export function truncateDescription(description: string, max: number): string | undefined {
  if (max <= 0) return undefined;
  if (description.length <= max) return description;
  if (max <= 3) return description.slice(0, max);
  const cut = description.slice(0, max - 3);
  const space = cut.search(/\s\S*$/);
  return `${(space > 0 ? cut.slice(0, space) : cut).trimEnd()}...`;
}

/** `schema` with its own description capped at `max` (removed at 0). */
export function capDescription(schema: Schema, max: number): Schema {
  if (schema.description === undefined) return schema;
  const description = truncateDescription(schema.description, max);
  if (description === schema.description) return schema;
  const { description: _dropped, ...rest } = schema;
  return description === undefined ? rest : { ...rest, description };
}

/**
 * Applies `visit` to every schema nested in `schema` (properties, items, map values, anyOf
 * members), deepest first, and rebuilds the tree; `schema` itself is not visited.
 */
export function mapChildSchemas(schema: Schema, visit: (child: Schema) => Schema): Schema {
  const deep = (s: Schema): Schema => visit(mapChildSchemas(s, visit));
  const out: { -readonly [K in keyof Schema]: Schema[K] } = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, deep(v)]));
  }
  if (schema.items) out.items = deep(schema.items);
  if (schema.additionalProperties) out.additionalProperties = deep(schema.additionalProperties);
  if (schema.anyOf) out.anyOf = schema.anyOf.map(deep);
  return out;
}

/** Caps the descriptions of everything below `schema`, keeping its own. */
export function capNestedDescriptions(schema: Schema, max: number): Schema {
  return mapChildSchemas(schema, (child) => capDescription(child, max));
}
