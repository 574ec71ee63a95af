/**
 * ownership: owner references (`setControllerReference` refuses a second controller) and
 * `createOrUpdate` / `createOrPatch`, which bring an object to the state a mutate function
 * describes and say whether they created, updated or left it unchanged.
 */
export {
  setControllerReference,
  setOwnerReference,
  removeOwnerReference,
  getControllerOf,
  isControlledBy,
  OwnershipError,
  type OwnershipErrorReason,
  type OwnerReferenceOptions,
} from './owner-references.ts';
export {
  createOrUpdate,
  createOrPatch,
  mergePatch,
  MutateError,
  type OperationResult,
  type MutateFunc,
  type CreateOrUpdateResult,
  type MutateOptions,
} from './create-or-update.ts';
