import type { Scenario } from '../lib/scenario.ts';
export const cacheFillScenario: Scenario = {
  id: 'cache-fill',
  title: 'cache-fill',
  run: () => Promise.reject(new Error('todo')),
};
