/**
 * One OpenAPI component as the JSON Schema json-schema-to-typescript compiles: every `$ref`
 * becomes the referenced type's name (`tsType`), recorded as an import when it lives in another
 * module or is one of the runtime's scalars, so each component compiles alone into one
 * declaration. Integers keep their width (`int32`/`int64`), int-or-string is `IntOrString`,
 * objects are closed unless the spec gives `additionalProperties`.
 */
import type { JSONSchema } from 'json-schema-to-typescript';
import { moduleOfComponent, scalarComponents, typeNameOf, type OpenApiSchema } from './load-spec.ts';

const REF_PREFIX = '#/components/schemas/';

/** What a module's declarations reference: names by module (`core/v1`), and the runtime's scalars. */
export class ModuleImports {
  readonly modules = new Map<string, Set<string>>();
  readonly scalars = new Set<string>();
  /** Names of the module itself that its declarations reference. */
  readonly localUses = new Set<string>();
  readonly #module: string;
  readonly #local: ReadonlySet<string>;

  constructor(module: string, local: ReadonlySet<string>) {
    this.#module = module;
    this.#local = local;
  }

  /** The name to write for a reference to `component`; records the import it needs. */
  reference(component: string): string {
    const scalar = scalarComponents[component];
    if (scalar !== undefined) {
      this.scalars.add(scalar);
      return scalar;
    }
    const module = moduleOfComponent(component);
    const name = typeNameOf(component);
    if (module === this.#module) {
      this.localUses.add(name);
      return name;
    }
    const names = this.modules.get(module) ?? new Set<string>();
    names.add(name);
    this.modules.set(module, names);
    return this.#local.has(name) ? aliasOf(module, name) : name;
  }

  scalar(name: string): string {
    this.scalars.add(name);
    return name;
  }
}

/** The local name of an imported type that collides with one of the importing module's: `CoreV1Event`. */
export function aliasOf(module: string, name: string): string {
  const pascal = module
    .split('/')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}${name}`;
}

function referenceOf(schema: OpenApiSchema): string | undefined {
  if (schema.$ref !== undefined) return schema.$ref;
  if (schema.allOf?.length === 1 && schema.allOf[0]?.$ref !== undefined) return schema.allOf[0].$ref;
  return undefined;
}

function withDescription(out: JSONSchema, schema: OpenApiSchema): JSONSchema {
  return schema.description === undefined ? out : { description: schema.description, ...out };
}

/** Converts `schema` (a component or a part of one) for json-schema-to-typescript. */
export function toJsonSchema(schema: OpenApiSchema, imports: ModuleImports, where: string): JSONSchema {
  const ref = referenceOf(schema);
  if (ref !== undefined) {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`${where}: unsupported $ref ${ref}`);
    return withDescription({ tsType: imports.reference(ref.slice(REF_PREFIX.length)) }, schema);
  }
  if (schema.allOf !== undefined) throw new Error(`${where}: allOf other than one $ref is not supported`);
  if (schema['x-kubernetes-int-or-string'] === true) {
    return withDescription({ tsType: imports.scalar('IntOrString') }, schema);
  }
  const out: JSONSchema = {};
  switch (schema.type) {
    case undefined:
      // No type: any JSON value (apiextensions' JSON, preserved unknown fields).
      return withDescription({ tsType: 'unknown' }, schema);
    case 'integer':
      if (schema.format === 'int32' || schema.format === 'int64') {
        out.tsType = imports.scalar(schema.format);
      } else {
        out.type = 'integer';
      }
      break;
    case 'number':
    case 'boolean':
      out.type = schema.type;
      break;
    case 'string':
      out.type = 'string';
      if (schema.enum !== undefined) out.enum = [...schema.enum] as JSONSchema['enum'];
      break;
    case 'array':
      out.type = 'array';
      if (schema.items === undefined) throw new Error(`${where}: array without items`);
      out.items = toJsonSchema(schema.items, imports, `${where}[]`);
      break;
    case 'object': {
      const { properties, additionalProperties } = schema;
      if (properties === undefined && additionalProperties === undefined) {
        // Free-form objects (FieldsV1, RawExtension, preserved unknown fields).
        return withDescription({ tsType: 'Record<string, unknown>' }, schema);
      }
      out.type = 'object';
      if (properties !== undefined) {
        out.properties = Object.fromEntries(
          Object.entries(properties).map(([name, property]) => [
            name,
            toJsonSchema(property, imports, `${where}.${name}`),
          ]),
        );
      }
      if (schema.required !== undefined && schema.required.length > 0) out.required = [...schema.required];
      if (typeof additionalProperties === 'object') {
        out.additionalProperties = toJsonSchema(additionalProperties, imports, `${where}[*]`);
      } else {
        out.additionalProperties = additionalProperties ?? false;
      }
      break;
    }
    default:
      throw new Error(`${where}: unsupported type ${schema.type}`);
  }
  return withDescription(out, schema);
}
