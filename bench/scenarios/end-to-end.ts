import type { Scenario } from '../lib/scenario.ts';
export const endToEndScenario: Scenario = {
  id: 'end-to-end',
  title: 'end-to-end',
  run: () => Promise.reject(new Error('todo')),
};
