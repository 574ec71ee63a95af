/**
 * @rbac groups="" resources=secrets verbs=get;create
 * @rbac groups=storage.k8s.io resources=storageclasses verbs=get;list;watch
 * @rbac urls=/metrics verbs=get
 */
export function reconcileVault(): void {}
