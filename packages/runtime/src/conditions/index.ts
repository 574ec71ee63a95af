/**
 * conditions: status conditions with Kubernetes semantics (lastTransitionTime moves only on
 * a status change; observedGeneration ties a condition to the spec it describes).
 */
export {
  setCondition,
  removeCondition,
  findCondition,
  isConditionTrue,
  isConditionFalse,
  isConditionTrueFor,
  ConditionError,
  type ConditionInput,
  type ConditionStatus,
  type SetConditionOptions,
} from './conditions.ts';
