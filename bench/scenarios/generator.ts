import type { Scenario } from '../lib/scenario.ts';
export const generatorScenario: Scenario = {
  id: 'generator',
  title: 'generator',
  run: () => Promise.reject(new Error('todo')),
};
