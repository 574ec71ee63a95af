/** Test helpers of the generator (golden files, fixture locations); not part of the public API. */
export { assertGolden, fixtureDir, fixturesDir, generatorDir, scratchDir, updateGolden } from './golden.ts';
export { invalidFields, kubeRequest, type KubeResponse } from './kube-request.ts';
