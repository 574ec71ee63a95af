/**
 * Module resolution of the API program: `@kubeforge/runtime` (the root entry point) resolves
 * as `@kubeforge/runtime/api`, the object model. API types need only the object model
 * (ObjectMeta, int32, Quantity, Condition, ...), which the root re-exports; resolved as
 * written, the root would pull the client, the controllers and all of
 * @kubernetes/client-node into the type checker, more than doubling a cold `generate`
 * (1,100 files instead of 70). Every other specifier resolves as TypeScript resolves it.
 *
 * A name only the root exports (a client or controller type) is then unresolved in API
 * files; the schema builder reports it where a field uses it, with the fix.
 */
import { ts, type ResolutionHostFactory } from 'ts-morph';
import { runtimePackage } from './runtime-types.ts';

/** The entry point API files are type-checked against, in place of the runtime's root. */
export const objectModelEntry = `${runtimePackage}/api`;

export const objectModelResolution: ResolutionHostFactory = (moduleResolutionHost) => {
  let cache: ts.ModuleResolutionCache | undefined;
  return {
    resolveModuleNames(
      moduleNames,
      containingFile,
      _reused,
      redirectedReference,
      options,
      containingSourceFile,
    ) {
      cache ??= ts.createModuleResolutionCache(
        moduleResolutionHost.getCurrentDirectory?.() ?? process.cwd(),
        (name) => name,
        options,
      );
      return moduleNames.map((name, index) => {
        const specifier = name === runtimePackage ? objectModelEntry : name;
        const mode = containingSourceFile
          ? ts.getModeForResolutionAtIndex(containingSourceFile, index, options)
          : undefined;
        return ts.resolveModuleName(
          specifier,
          containingFile,
          options,
          moduleResolutionHost,
          cache,
          redirectedReference,
          mode,
        ).resolvedModule;
      });
    },
  };
};

/** Whether a file imports the runtime's root entry point (resolved as its object model in API files). */
export function importsRuntimeRoot(file: ts.SourceFile): boolean {
  return file.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === runtimePackage,
  );
}
