/** @kubeforge/testing: a real local control plane (etcd + kube-apiserver) for tests. */
export {};
