import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition } from '../api/index.ts';
import {
  ConditionError,
  findCondition,
  isConditionTrue,
  isConditionTrueFor,
  removeCondition,
  setCondition,
} from './conditions.ts';

const t1 = new Date('2026-01-01T00:00:00.123Z');
const t2 = new Date('2026-01-01T01:00:00Z');

test('setCondition adds a new condition with the transition time, second precision', () => {
  const next = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Starting' }, { now: t1 });
  assert.deepEqual(next, [
    {
      type: 'Ready',
      status: 'False',
      reason: 'Starting',
      message: '',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    },
  ]);
});

test('lastTransitionTime changes when the status changes', () => {
  const a = setCondition([], { type: 'Ready', status: 'False', reason: 'Starting' }, { now: t1 });
  const b = setCondition(a, { type: 'Ready', status: 'True', reason: 'Running' }, { now: t2 });
  assert.equal(b[0]?.lastTransitionTime, '2026-01-01T01:00:00Z');
});

test('lastTransitionTime stays when only reason, message or observedGeneration change', () => {
  const a = setCondition(
    [],
    { type: 'Ready', status: 'True', reason: 'Running', observedGeneration: 1 },
    { now: t1 },
  );
  const b = setCondition(
    a,
    { type: 'Ready', status: 'True', reason: 'StillRunning', message: 'all good', observedGeneration: 2 },
    { now: t2 },
  );
  assert.deepEqual(b[0], {
    type: 'Ready',
    status: 'True',
    reason: 'StillRunning',
    message: 'all good',
    observedGeneration: 2,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  });
});

test('setCondition returns the same array when nothing changed, and never mutates its input', () => {
  const a = setCondition([], { type: 'Ready', status: 'True', reason: 'Running' }, { now: t1 });
  const frozen = Object.freeze(a.map((c) => Object.freeze({ ...c }))) as readonly Condition[];
  assert.equal(
    setCondition(frozen, { type: 'Ready', status: 'True', reason: 'Running' }, { now: t2 }),
    frozen,
  );
  const changed = setCondition(frozen, { type: 'Ready', status: 'False', reason: 'Broken' }, { now: t2 });
  assert.notEqual(changed, frozen);
  assert.equal(frozen[0]?.status, 'True');
});

test('other conditions keep their place and values', () => {
  let list = setCondition([], { type: 'Ready', status: 'True', reason: 'Running' }, { now: t1 });
  list = setCondition(list, { type: 'Degraded', status: 'False', reason: 'Healthy' }, { now: t1 });
  list = setCondition(list, { type: 'Ready', status: 'False', reason: 'Broken' }, { now: t2 });
  assert.deepEqual(
    list.map((c) => c.type),
    ['Ready', 'Degraded'],
  );
  assert.equal(findCondition(list, 'Degraded')?.lastTransitionTime, '2026-01-01T00:00:00Z');
});

test('observedGeneration ties a condition to a spec generation', () => {
  const list = setCondition([], { type: 'Ready', status: 'True', reason: 'Running', observedGeneration: 3 });
  assert.equal(isConditionTrue(list, 'Ready'), true);
  assert.equal(isConditionTrueFor(list, 'Ready', 3), true);
  assert.equal(isConditionTrueFor(list, 'Ready', 4), false);
});

test('removeCondition removes by type and returns the input when absent', () => {
  const list = setCondition([], { type: 'Ready', status: 'True', reason: 'Running' });
  assert.deepEqual(removeCondition(list, 'Ready'), []);
  assert.equal(removeCondition(list, 'Other'), list);
});

test('conditions the API server would reject are refused with every problem listed', () => {
  assert.throws(
    () => setCondition([], { type: 'not a type', status: 'Maybe' as 'True', reason: 'lower case' }),
    (err: unknown) =>
      err instanceof ConditionError &&
      err.message.includes('type "not a type"') &&
      err.message.includes('status must be') &&
      err.message.includes('reason "lower case"'),
  );
});
