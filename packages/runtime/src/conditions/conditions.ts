/**
 * Status conditions with Kubernetes semantics (apimachinery's `meta.SetStatusCondition`):
 * `lastTransitionTime` changes only when a condition's `status` changes; reason, message and
 * observedGeneration are updated in place. Functions return a new array and never mutate
 * their input; when nothing changed they return the input array itself, so
 * `next !== conditions` tells whether a status update is needed.
 */
import type { Condition } from '../api/index.ts';

export type ConditionStatus = Condition['status'];

/** What to set; `lastTransitionTime` is managed by {@link setCondition}. */
export interface ConditionInput {
  readonly type: string;
  readonly status: ConditionStatus;
  /** UpperCamelCase, e.g. `ReplicasReady`. Required by the API's validation. */
  readonly reason: string;
  readonly message?: string;
  /** The `metadata.generation` this condition was computed from. */
  readonly observedGeneration?: number;
}

export interface SetConditionOptions {
  /** The transition time to record; default now. */
  readonly now?: Date;
}

export class ConditionError extends Error {
  readonly reason = 'InvalidCondition';
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

const typePattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const reasonPattern = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/**
 * Adds or updates the condition of `input.type`. The transition time is set when the
 * condition is new or its status changed, and kept otherwise.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  options: SetConditionOptions = {},
): Condition[] {
  validate(input);
  const list = conditions ?? [];
  const existing = list.find((c) => c.type === input.type);
  const message = input.message ?? '';
  if (existing === undefined) {
    return [
      ...list,
      {
        type: input.type,
        status: input.status,
        reason: input.reason,
        message,
        lastTransitionTime: timeOf(options.now),
        ...(input.observedGeneration !== undefined && { observedGeneration: input.observedGeneration }),
      },
    ];
  }
  const unchanged =
    existing.status === input.status &&
    existing.reason === input.reason &&
    existing.message === message &&
    existing.observedGeneration === input.observedGeneration;
  if (unchanged) return list as Condition[];
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message,
    lastTransitionTime: existing.status === input.status ? existing.lastTransitionTime : timeOf(options.now),
    ...(input.observedGeneration !== undefined && { observedGeneration: input.observedGeneration }),
  };
  return list.map((c) => (c === existing ? next : c));
}

/** Removes the condition of `type`; returns the input array when there was none. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  const list = conditions ?? [];
  return list.some((c) => c.type === type) ? list.filter((c) => c.type !== type) : (list as Condition[]);
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function isConditionFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'False';
}

/**
 * Whether the condition of `type` is `True` and was computed from `generation` (so it is not
 * a leftover from an older spec).
 */
export function isConditionTrueFor(
  conditions: readonly Condition[] | undefined,
  type: string,
  generation: number | undefined,
): boolean {
  const c = findCondition(conditions, type);
  return c?.status === 'True' && c.observedGeneration === generation;
}

function validate(input: ConditionInput): void {
  const problems: string[] = [];
  if (!typePattern.test(input.type) || input.type.length > 316) {
    problems.push(`type "${input.type}" must be a qualified name such as "Ready" or "example.com/Synced"`);
  }
  if (!['True', 'False', 'Unknown'].includes(input.status)) {
    problems.push(`status must be "True", "False" or "Unknown", got "${input.status as string}"`);
  }
  if (!reasonPattern.test(input.reason) || input.reason.length > 1024) {
    problems.push(
      `reason "${input.reason}" must be UpperCamelCase words (letters, digits, _ , :), e.g. "ReplicasReady"`,
    );
  }
  if (input.message !== undefined && input.message.length > 32768)
    problems.push('message must be at most 32768 characters');
  if (
    input.observedGeneration !== undefined &&
    (!Number.isInteger(input.observedGeneration) || input.observedGeneration < 0)
  ) {
    problems.push(`observedGeneration must be an integer >= 0, got ${input.observedGeneration}`);
  }
  if (problems.length > 0) {
    throw new ConditionError(
      `setCondition(${input.type}): the API server would reject this condition: ${problems.join('; ')}`,
    );
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
function timeOf(now: Date | undefined): string {
  return (now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
