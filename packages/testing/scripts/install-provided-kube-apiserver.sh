#!/usr/bin/env bash
# Installs each kube-apiserver provided as `<shared>/k8s/v<version>/kube-apiserver.gz` into
# ${XDG_CACHE_HOME:-~/.cache}/kubeforge/control-plane/<version>/, beside the etcd it needs and
# kubectl: a directory to give as KUBEBUILDER_ASSETS. Servers from 1.31 on need etcd >= 3.5,
# which Debian trixie's etcd-server provides; it is downloaded (not installed system-wide) with
# a private apt state, so the machine's sources and packages are left as they are.
#
# <shared> is $KUBEFORGE_SHARED_DIR, else (in a kubeforge checkout, not in an installed package)
# the `shared` folder beside the checkout. Nothing provided: says so and succeeds. Idempotent.
set -euo pipefail

step() { printf '[setup-control-plane] %s\n' "$*"; }
fail() { printf '[setup-control-plane] error: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "$here/../../.." && pwd)"
if [[ -n "${KUBEFORGE_SHARED_DIR:-}" ]]; then
  SHARED_DIR="$KUBEFORGE_SHARED_DIR"
elif grep -qs '"name": "kubeforge"' "$checkout/package.json"; then
  SHARED_DIR="$(dirname "$checkout")/shared"
else
  step "not in a kubeforge checkout and KUBEFORGE_SHARED_DIR is unset: only the default control plane is installed"
  exit 0
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kubeforge"
ETCD_SUITE=trixie
ETCD_DIR="$CACHE/etcd-$ETCD_SUITE"

shopt -s nullglob
provided=("$SHARED_DIR"/k8s/v*/kube-apiserver.gz)
if (( ${#provided[@]} == 0 )); then
  step "no newer kube-apiserver provided in $SHARED_DIR/k8s: only the default control plane is installed"
  exit 0
fi

# etcd 3.5 from Debian trixie, unpacked into the cache once.
install_etcd() {
  if [[ -x "$ETCD_DIR/usr/bin/etcd" ]]; then return; fi
  local apt="$CACHE/apt-$ETCD_SUITE"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' "Suites: $ETCD_SUITE" 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > "$apt/debian.sources"
  local opts=(-o "Dir::Etc::SourceList=$apt/debian.sources" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq)
  step "downloading etcd-server from Debian $ETCD_SUITE"
  apt-get "${opts[@]}" update
  (cd "$apt" && rm -f etcd-server_*.deb && apt-get "${opts[@]}" download etcd-server 2>/dev/null)
  local deb=("$apt"/etcd-server_*.deb)
  (( ${#deb[@]} == 1 )) || fail "could not download Debian $ETCD_SUITE's etcd-server"
  rm -rf "$ETCD_DIR.tmp" && dpkg-deb -x "${deb[0]}" "$ETCD_DIR.tmp" && mv "$ETCD_DIR.tmp" "$ETCD_DIR"
}

for gz in "${provided[@]}"; do
  version="$(basename "$(dirname "$gz")")"
  version="${version#v}"
  target="$CACHE/control-plane/$version"
  stamp="$(stat -c '%s %Y' "$gz") $gz"
  if [[ -x "$target/kube-apiserver" && -x "$target/etcd" && "$(cat "$target/SOURCE" 2>/dev/null)" == "$stamp" ]]; then
    step "kube-apiserver $version already installed in $target"
    continue
  fi
  install_etcd
  mkdir -p "$target"
  gunzip -c "$gz" > "$target/kube-apiserver.tmp"
  chmod 0755 "$target/kube-apiserver.tmp"
  reported="$("$target/kube-apiserver.tmp" --version)"
  [[ "$reported" == "Kubernetes v$version"* ]] || fail "$gz reports '$reported', not v$version"
  mv "$target/kube-apiserver.tmp" "$target/kube-apiserver"
  install -m 0755 "$ETCD_DIR/usr/bin/etcd" "$target/etcd"
  if command -v kubectl >/dev/null; then ln -sfn "$(command -v kubectl)" "$target/kubectl"; fi
  echo "$stamp" > "$target/SOURCE"
  step "kube-apiserver: $reported, etcd: $("$target/etcd" --version | sed -n 1p)"
  step "installed in $target (run the tests on it with KUBEBUILDER_ASSETS=$target)"
done
