/**
 * finalizer: the add-finalizer / cleanup / remove-finalizer flow that lets a controller clean
 * up after an object before the API server deletes it, with cleanup running once per deletion.
 */
export {
  finalize,
  hasFinalizer,
  FinalizerError,
  type FinalizeHandlers,
  type FinalizeOptions,
} from './finalize.ts';
