/**
 * Converts TypeScript types to structural schemas. The type checker drives the structure
 * (so imports, aliases, generics, intersections and Pick/Omit/Partial resolve); the type
 * nodes written in the source are followed alongside as hints, because aliases of primitives
 * (`int32 = number`) exist only in the syntax. Anything without a sound JSON mapping is a
 * diagnostic at the field that uses it, never a silent `string`.
 */
import { ts } from 'ts-morph';
import type { Schema } from '../model/index.ts';
import type { MarkerName, MarkerSet } from '../markers/index.ts';
import { applyFieldMarkers } from './apply-field-markers.ts';
import { literalUnion } from './literal-unions.ts';
import { stringPattern } from './template-literals.ts';
import { unionSchema } from './unions.ts';
import { builtinPropertySchema, builtinTypeSchema } from './builtin-types.ts';
import { importsRuntimeRoot, objectModelEntry } from './object-model-resolution.ts';
import { runtimePackage, scalarSchemas, structSchemas } from './runtime-types.ts';
import { applyLayers, upstreamProperty, withTypeLayers } from './apply-layers.ts';
import { propertyLayers, type MarkerLayer } from './inherited-markers.ts';
import {
  elementHint,
  framesFor,
  interfaceFrames,
  resolveSymbol,
  valueHint,
  type Frames,
  type TypeHint,
} from './type-hints.ts';
import type { SourceContext } from './source-context.ts';

export type { TypeHint } from './type-hints.ts';

/** Where a conversion happens: the API path for messages and the node to point at. */
export interface Site {
  readonly path: string;
  readonly node: ts.Node;
}

export interface ConvertOptions {
  /** `any`/`unknown` are allowed (the field has `@preserveUnknownFields` or `@embeddedResource`). */
  readonly allowUnknown?: boolean;
  /** The object is a Kubernetes object (the resource root or an `@embeddedResource`). */
  readonly objectRoot?: boolean;
  /** `number | string` is allowed (the field has `@intOrString`). */
  readonly intOrString?: boolean;
}

/** Deeper nesting than this is treated as recursion. */
const maxObjectDepth = 32;

export class SchemaBuilder {
  readonly ctx: SourceContext;
  readonly #checker: ts.TypeChecker;
  readonly #expanding: ts.Type[] = [];
  readonly #aliases: ts.Declaration[] = [];
  readonly #cache = new Map<ts.Type, Schema | undefined>();
  readonly #reportedResourceMarkers = new Set<ts.Node>();

  constructor(ctx: SourceContext) {
    this.ctx = ctx;
    this.#checker = ctx.checker;
  }

  /** Reports an error at `site`; returns `undefined` (typed as a failed conversion) so callers can `return this.error(...)`. */
  error(site: Site, code: string, message: string, hint?: string): Schema | undefined {
    this.ctx.sink.error(code, message, { ...this.#where(site.node), path: site.path }, hint);
    return undefined;
  }

  #where(node: ts.Node): ReturnType<SourceContext['location']> | Record<string, never> {
    return this.ctx.isProjectFile(node.getSourceFile()) ? this.ctx.location(node) : {};
  }

  /** The schema of `type`, or `undefined` after reporting why there is none. */
  convert(
    type: ts.Type,
    hint: TypeHint | undefined,
    site: Site,
    options: ConvertOptions = {},
  ): Schema | undefined {
    if (hint) {
      const viaHint = this.#convertViaHint(type, hint, site, options);
      if (viaHint !== 'no-match') return viaHint;
    }
    const alias = type.aliasSymbol && this.#runtimeName(type.aliasSymbol);
    if (alias !== undefined && scalarSchemas[alias]) return scalarSchemas[alias];
    return this.#convertType(type, hint, site, options);
  }

  #convertViaHint(
    type: ts.Type,
    hint: TypeHint,
    site: Site,
    options: ConvertOptions,
  ): Schema | undefined | 'no-match' {
    let node = hint.node;
    while (ts.isParenthesizedTypeNode(node)) node = node.type;
    if (!ts.isTypeReferenceNode(node)) return 'no-match';
    const symbol = resolveSymbol(this.#checker, this.#checker.getSymbolAtLocation(node.typeName));
    if (symbol === undefined) return 'no-match';
    if (symbol.flags & ts.SymbolFlags.TypeParameter) {
      if (!hint.frames?.has(symbol)) return 'no-match';
      const substituted = hint.frames.get(symbol);
      return substituted
        ? this.convert(type, substituted, site, options)
        : this.#convertType(type, undefined, site, options);
    }
    const runtime = this.#runtimeName(symbol);
    if (runtime !== undefined && scalarSchemas[runtime]) return scalarSchemas[runtime];
    const declaration = symbol.declarations?.[0];
    const builtin = declaration && builtinTypeSchema(this, symbol, declaration, site, false);
    if (builtin) return builtin.schema;
    if (
      declaration === undefined ||
      !ts.isTypeAliasDeclaration(declaration) ||
      runtime !== undefined ||
      this.ctx.isLibFile(declaration.getSourceFile())
    ) {
      return 'no-match';
    }
    if (this.#aliases.includes(declaration)) {
      return this.error(
        site,
        'recursive-type',
        `type ${symbol.name} refers to itself`,
        'structural schemas cannot express recursion; bound the depth with separate types',
      );
    }
    const frames = framesFor(this.#checker, declaration.typeParameters, node.typeArguments, hint);
    this.#aliases.push(declaration);
    try {
      const inner = this.convert(
        type,
        { node: declaration.type, ...(frames ? { frames } : {}) },
        site,
        options,
      );
      return inner && this.#withTypeDoc(inner, declaration, site);
    } finally {
      this.#aliases.pop();
    }
  }

  /** The name of a @kubeforge/runtime declaration, or `undefined` for anything else. */
  #runtimeName(symbol: ts.Symbol): string | undefined {
    const declaration = symbol.declarations?.[0];
    return declaration && this.ctx.isRuntimeDeclaration(declaration) ? symbol.name : undefined;
  }

  /** Adds the declaration's JSDoc description and type-level markers to its schema. */
  #withTypeDoc(schema: Schema, declaration: ts.Node, site: Site): Schema {
    const targets = ts.isInterfaceDeclaration(declaration)
      ? (['resource', 'field'] as const)
      : (['field'] as const);
    const doc = this.ctx.doc(declaration, targets, site.path);
    // A resource's own markers and description are applied to its root schema by resources.ts.
    if (doc.markers.has('resource')) return schema;
    const marked = this.applyMarkers(schema, doc.markers, declaration, site);
    return doc.description && marked.description === undefined
      ? { ...marked, description: doc.description }
      : marked;
  }

  applyMarkers(schema: Schema, markers: MarkerSet, declaration: ts.Node, site: Site): Schema {
    return applyFieldMarkers(
      schema,
      markers,
      (marker: MarkerName, severity, code, message, hint) => {
        if (!this.ctx.isProjectFile(declaration.getSourceFile())) return;
        const where = { ...this.ctx.location(declaration, markers.offsetOf(marker)), path: site.path };
        if (severity === 'error') this.ctx.sink.error(code, message, where, hint);
        else this.ctx.sink.warning(code, message, where, hint);
      },
      (offset) => this.ctx.ruleSource(declaration, offset),
    );
  }

  #convertType(
    type: ts.Type,
    hint: TypeHint | undefined,
    site: Site,
    options: ConvertOptions,
  ): Schema | undefined {
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      if ((type as { intrinsicName?: string }).intrinsicName === 'error') {
        return this.error(
          site,
          'unresolved-type',
          'the type could not be resolved',
          importsRuntimeRoot(site.node.getSourceFile())
            ? `check the import; from ${runtimePackage}, API types see only its object model: import object-model types from ${objectModelEntry} and keep other types out of API files`
            : 'check the import and that the module is installed',
        );
      }
      if (options.allowUnknown) return {};
      return this.error(
        site,
        'unknown-type',
        `\`${this.#checker.typeToString(type)}\` has no schema`,
        'declare the type, or mark the field @preserveUnknownFields to keep arbitrary JSON',
      );
    }
    if (flags & ts.TypeFlags.NonPrimitive) {
      if (options.allowUnknown) return { type: 'object' };
      return this.error(
        site,
        'unknown-type',
        '`object` has no schema',
        'declare the properties, use Record<string, T>, or mark the field @preserveUnknownFields',
      );
    }
    if (flags & ts.TypeFlags.TemplateLiteral) {
      const body = stringPattern(type);
      return body === undefined ? { type: 'string' } : { type: 'string', pattern: `^${body}$` };
    }
    // `string` and `Uppercase<string>`-like mappings are strings.
    if (flags & ts.TypeFlags.StringLike && !(flags & ts.TypeFlags.StringLiteral)) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral)) {
      return literalUnion(this, [type], hint, site);
    }
    if (flags & ts.TypeFlags.Union) return unionSchema(this, type as ts.UnionType, hint, site, options);
    if (flags & ts.TypeFlags.BigIntLike) {
      return this.error(
        site,
        'unsupported-type',
        '`bigint` has no JSON form',
        'use int64 from @kubeforge/runtime/api',
      );
    }
    if (flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)) {
      return this.error(
        site,
        'unsupported-type',
        `\`${this.#checker.typeToString(type)}\` alone has no schema`,
        'give the field a value type, e.g. `T | null`',
      );
    }
    if (flags & ts.TypeFlags.ESSymbolLike) {
      return this.error(site, 'unsupported-type', '`symbol` has no JSON form');
    }
    if (flags & ts.TypeFlags.Intersection) {
      const members = (type as ts.IntersectionType).types;
      if (!members.every((m) => m.flags & ts.TypeFlags.Object)) {
        return this.error(
          site,
          'unsupported-type',
          `intersection \`${this.#checker.typeToString(type)}\` mixes objects with other types`,
          'intersect object types only',
        );
      }
      return this.objectSchema(type, undefined, site, options);
    }
    if (flags & ts.TypeFlags.Object) return this.#objectType(type as ts.ObjectType, hint, site, options);
    if (flags & ts.TypeFlags.TypeParameter) {
      return this.error(
        site,
        'unsupported-type',
        `type parameter \`${this.#checker.typeToString(type)}\` is not instantiated`,
      );
    }
    return this.error(site, 'unsupported-type', `\`${this.#checker.typeToString(type)}\` has no schema`);
  }

  #objectType(
    type: ts.ObjectType,
    hint: TypeHint | undefined,
    site: Site,
    options: ConvertOptions,
  ): Schema | undefined {
    if (this.#checker.isTupleType(type)) {
      return this.error(
        site,
        'unsupported-type',
        `tuple \`${this.#checker.typeToString(type)}\` has no structural schema`,
        'use an array of one type or an object with named fields',
      );
    }
    if (this.#checker.isArrayType(type)) {
      const element = this.#checker.getTypeArguments(type as ts.TypeReference)[0];
      if (element === undefined) return this.error(site, 'unsupported-type', 'array without an element type');
      const items = this.convert(
        element,
        elementHint(hint),
        { ...site, path: `${site.path}[]` },
        {
          ...(options.allowUnknown ? { allowUnknown: true } : {}),
        },
      );
      return items && { type: 'array', items };
    }
    const typeSymbol = type.getSymbol();
    const typeDeclaration = typeSymbol?.declarations?.[0];
    const builtin = typeDeclaration && builtinTypeSchema(this, typeSymbol, typeDeclaration, site, true);
    if (builtin) return builtin.schema;
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.error(
        site,
        'unsupported-type',
        'functions have no JSON form',
        'API types hold data only; move behaviour out of the interface',
      );
    }
    const symbol = type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    if (
      symbol &&
      declaration &&
      symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class) &&
      this.ctx.isLibFile(declaration.getSourceFile())
    ) {
      const hints: Record<string, string> = {
        Date: 'use Time (RFC 3339 string) from @kubeforge/runtime/api',
        Map: 'use Record<string, T>',
        Set: 'use an array with @uniqueItems or @listType set',
      };
      return this.error(
        site,
        'unsupported-type',
        `\`${symbol.name}\` has no JSON form`,
        hints[symbol.name] ?? 'use plain data types',
      );
    }
    const runtime = symbol && this.#runtimeName(symbol);
    if (runtime === 'ObjectMeta' && options.objectRoot) return { type: 'object' };
    if (runtime !== undefined && structSchemas[runtime]) return structSchemas[runtime];
    const frames = hint ? interfaceFrames(this.#checker, hint) : undefined;
    const mapHint = valueHint(hint) ? hint : undefined;
    return this.objectSchema(type, frames, site, options, mapHint);
  }

  /**
   * An object with properties (or a map from an index signature). Named, non-generic
   * interfaces are converted once and reused; an interface met again while it is being
   * converted is a recursive type.
   */
  objectSchema(
    type: ts.Type,
    frames: Frames | undefined,
    site: Site,
    options: ConvertOptions,
    hint?: TypeHint,
  ): Schema | undefined {
    if (this.#expanding.includes(type)) {
      return this.error(
        site,
        'recursive-type',
        `type \`${this.#checker.typeToString(type)}\` contains itself`,
        'structural schemas cannot express recursion; bound the depth with separate types',
      );
    }
    // A generic that instantiates itself with a new argument (`Tree<T[]>` inside `Tree<T>`)
    // never repeats a type; the depth limit catches that recursion.
    if (this.#expanding.length >= maxObjectDepth) {
      return this.error(
        site,
        'recursive-type',
        `objects nest deeper than ${maxObjectDepth} levels (a recursive generic type?)`,
        'structural schemas cannot express recursion; bound the depth with separate types',
      );
    }
    const cacheable =
      frames === undefined && !options.objectRoot && !options.allowUnknown && hint === undefined;
    if (cacheable && this.#cache.has(type)) return this.#cache.get(type);
    this.#expanding.push(type);
    let schema: Schema | undefined;
    try {
      schema = this.#buildObject(type, frames, site, options, hint);
    } finally {
      this.#expanding.pop();
    }
    if (schema) schema = withTypeLayers(this, schema, type, site, this.#reportedResourceMarkers);
    if (cacheable) this.#cache.set(type, schema);
    return schema;
  }

  #buildObject(
    type: ts.Type,
    frames: Frames | undefined,
    site: Site,
    options: ConvertOptions,
    hint: TypeHint | undefined,
  ): Schema | undefined {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let failed = false;
    for (const property of this.#checker.getPropertiesOfType(type)) {
      const converted = this.property(property, frames, site, options, type);
      if (converted === undefined) {
        failed = true;
        continue;
      }
      properties[property.name] = converted.schema;
      if (converted.required) required.push(property.name);
    }
    const indexInfos = this.#checker.getIndexInfosOfType(type);
    if (indexInfos.length > 0) {
      const info = indexInfos[0];
      if (info === undefined || !(info.keyType.flags & ts.TypeFlags.String) || indexInfos.length > 1) {
        return this.error(
          site,
          'unsupported-type',
          'only string-keyed maps have a JSON form',
          'use Record<string, T>',
        );
      }
      if (Object.keys(properties).length > 0 && info.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
        // Known fields plus arbitrary extras: declare the known ones, keep the rest.
        if (failed) return undefined;
        return {
          type: 'object',
          properties,
          ...(required.length > 0 ? { required: required.sort() } : {}),
          'x-kubernetes-preserve-unknown-fields': true,
        };
      }
      if (Object.keys(properties).length > 0) {
        return this.error(
          site,
          'unsupported-type',
          'an object cannot have both fixed properties and a typed index signature in a structural schema',
          'move the map into its own field, or make the index signature `[key: string]: unknown` to keep extra fields',
        );
      }
      const value = this.convert(
        info.type,
        valueHint(hint) ??
          (info.declaration?.type
            ? { node: info.declaration.type, ...(frames ? { frames } : {}) }
            : undefined),
        { ...site, path: `${site.path}{}` },
        options.allowUnknown ? { allowUnknown: true } : {},
      );
      if (value === undefined) return undefined;
      if (options.allowUnknown && Object.keys(value).length === 0) return { type: 'object' };
      return { type: 'object', additionalProperties: value };
    }
    if (failed) return undefined;
    return {
      type: 'object',
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(required.length > 0 ? { required: required.sort() } : {}),
    };
  }

  /**
   * One property: its schema (with field markers and description) and whether it is required.
   * Markers of every declaration of the property apply (a base's, then the redeclaring
   * interface's; each intersection member's); the most derived description wins.
   */
  property(
    property: ts.Symbol,
    frames: Frames | undefined,
    parent: Site,
    parentOptions: ConvertOptions,
    parentType?: ts.Type,
  ): { readonly schema: Schema; readonly required: boolean } | undefined {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const inProject = declaration !== undefined && this.ctx.isProjectFile(declaration.getSourceFile());
    const site: Site = {
      path: `${parent.path}.${property.name}`,
      node: inProject ? declaration : parent.node,
    };
    if (declaration && (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration))) {
      this.error(site, 'unsupported-type', 'methods have no JSON form', 'API types hold data only');
      return undefined;
    }
    const type = this.#checker.getTypeOfSymbol(property);
    const layers: readonly MarkerLayer[] = parentType
      ? propertyLayers(this.ctx, parentType, property, site.path)
      : declaration
        ? [{ ...this.ctx.doc(declaration, ['field'], site.path), declaration, bases: new Set() }]
        : [];
    const has = (name: MarkerName): boolean => layers.some((layer) => layer.markers.has(name));
    const optional =
      (property.flags & ts.SymbolFlags.Optional) !== 0 ||
      (type.flags & ts.TypeFlags.Union &&
        (type as ts.UnionType).types.some((t) => t.flags & ts.TypeFlags.Undefined)) === true;
    if (
      parentOptions.objectRoot &&
      property.name === 'metadata' &&
      this.#isRuntimeType(this.#checker.getNonNullableType(type), 'ObjectMeta')
    ) {
      return { schema: { type: 'object' }, required: false };
    }
    const inherited = declaration && builtinPropertySchema(this, property, declaration, site);
    if (inherited) return { schema: inherited, required: !optional };
    const hint = this.#propertyHint(declaration, type, frames);
    const options: ConvertOptions = {
      ...(has('preserveUnknownFields') || has('embeddedResource') ? { allowUnknown: true } : {}),
      ...(has('embeddedResource') ? { objectRoot: true } : {}),
      ...(has('intOrString') ? { intOrString: true } : {}),
    };
    let schema = upstreamProperty(this.ctx, layers) ?? this.convert(type, hint, site, options);
    if (schema === undefined) return undefined;
    schema = applyLayers(this, schema, layers, site);
    const description = layers.findLast((layer) => layer.description !== '')?.description;
    if (description) schema = { ...schema, description };
    return { schema, required: !optional };
  }

  #isRuntimeType(type: ts.Type, name: string): boolean {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    return symbol !== undefined && this.#runtimeName(symbol) === name;
  }

  /**
   * The declared type node of a property, when it describes `type` (it does not after a
   * mapped type changed the value type, e.g. `{ [K in keyof T]: string }`).
   */
  #propertyHint(
    declaration: ts.Declaration | undefined,
    type: ts.Type,
    frames: Frames | undefined,
  ): TypeHint | undefined {
    if (
      !declaration ||
      !(ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) ||
      !declaration.type
    ) {
      return undefined;
    }
    const node = declaration.type;
    if (frames) return { node, frames };
    const declared = this.#checker.getTypeFromTypeNode(node);
    if (this.#checker.getNonNullableType(declared) !== this.#checker.getNonNullableType(type))
      return undefined;
    return { node };
  }
}
