#!/usr/bin/env bash
# Installs the control planes @kubeforge/testing starts, each in its own directory laid out like
# envtest's assets (kube-apiserver, etcd, kubectl), so any of them can be given as
# KUBEBUILDER_ASSETS:
#   - the default, kube-apiserver 1.20.2 built from Debian's source (build-kube-apiserver-1.20.sh);
#   - every newer kube-apiserver provided as `<shared>/k8s/v<version>/kube-apiserver.gz`, with
#     the etcd 3.5 it needs (install-provided-kube-apiserver.sh). <shared> is
#     $KUBEFORGE_SHARED_DIR, else the `shared` folder beside the kubeforge checkout.
# Idempotent: what is installed is checked and left alone. Safe to run twice at once: the
# second run waits for the first on a lock (with-setup-lock.sh), then finds everything installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "${KUBEFORGE_SETUP_LOCKED:-}" != "1" ]; then
  KUBEFORGE_SETUP_LOCKED=1 exec bash "$here/with-setup-lock.sh" bash "${BASH_SOURCE[0]}" "$@"
fi
bash "$here/build-kube-apiserver-1.20.sh"
bash "$here/install-provided-kube-apiserver.sh"
