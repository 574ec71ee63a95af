import type { Scenario } from '../lib/scenario.ts';
export const watchScenario: Scenario = {
  id: 'watch',
  title: 'watch',
  run: () => Promise.reject(new Error('todo')),
};
