#!/usr/bin/env bash
# Installs the default local control plane (etcd + kube-apiserver 1.20.2) that
# @kubeforge/testing starts for tests, benchmarks and the demo. Run by setup-control-plane.sh.
#
# Idempotent: when both binaries are present in the target directory it prints
# where they are and exits. Otherwise it installs etcd from Debian's etcd-server
# package and builds kube-apiserver from Debian bookworm's `kubernetes` source
# package (which ships vendor/) with Debian's Go toolchain. Needs root (apt-get).
#
# Target directory: $KUBEFORGE_CONTROL_PLANE_DIR, else
# ${XDG_CACHE_HOME:-~/.cache}/kubeforge/control-plane/<version>/.
set -euo pipefail

KUBE_VERSION="1.20.2"
# Bump when the build's patches change, so cached binaries from an older recipe are rebuilt.
BUILD_ID="$KUBE_VERSION-kubeforge.2"
TARGET_DIR="${KUBEFORGE_CONTROL_PLANE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeforge/control-plane/$KUBE_VERSION}"
BUILD_ROOT="${KUBEFORGE_BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeforge/build}"

step() { printf '[setup-control-plane] %s\n' "$*"; }
fail() { printf '[setup-control-plane] error: %s\n' "$*" >&2; exit 1; }

if [[ -x "$TARGET_DIR/kube-apiserver" && -x "$TARGET_DIR/etcd" && "$(cat "$TARGET_DIR/BUILD_ID" 2>/dev/null)" == "$BUILD_ID" ]]; then
  step "already installed in $TARGET_DIR"
  "$TARGET_DIR/kube-apiserver" --version
  "$TARGET_DIR/etcd" --version | sed -n 1p
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  SUDO=sudo
  command -v sudo >/dev/null || fail "installing Debian packages needs root or sudo"
else
  SUDO=
fi

apt_updated=0
apt_update_once() {
  if [[ $apt_updated == 0 ]]; then
    step "apt-get update"
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

need_pkgs=()
command -v etcd >/dev/null || need_pkgs+=(etcd-server)
command -v go >/dev/null || need_pkgs+=(golang-go)
[[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ]] || need_pkgs+=(golang-github-modern-go-reflect2-dev)
[[ -d /usr/share/gocode/src/github.com/json-iterator/go ]] || need_pkgs+=(golang-github-json-iterator-go-dev)
command -v dpkg-source >/dev/null || need_pkgs+=(dpkg-dev)
command -v rsync >/dev/null || need_pkgs+=(rsync)
# kubectl is not needed by the control plane, but tests and the demo show what users see with it.
command -v kubectl >/dev/null || need_pkgs+=(kubernetes-client)
if (( ${#need_pkgs[@]} )); then
  apt_update_once
  step "installing Debian packages: ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

mkdir -p "$TARGET_DIR"
install -m 0755 "$(command -v etcd)" "$TARGET_DIR/etcd"
step "etcd: $("$TARGET_DIR/etcd" --version | sed -n 1p)"

SRC_LIST=/etc/apt/sources.list.d/kubeforge-bookworm-src.sources
if ! grep -rqs -e '^deb-src' -e '^Types:.*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # deb822 with the same Signed-By as Debian's own entry: apt refuses two
  # entries for one source that disagree on the keyring.
  step "adding a deb-src entry for bookworm main ($SRC_LIST)"
  printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' \
    'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
    $SUDO tee "$SRC_LIST" >/dev/null
  apt_updated=0
fi

mkdir -p "$BUILD_ROOT/src"
cd "$BUILD_ROOT/src"
if ! ls kubernetes_*.orig.tar.* >/dev/null 2>&1; then
  apt_update_once
  step "downloading Debian source package kubernetes (bookworm)"
  apt-get source --download-only kubernetes >/dev/null
fi
ORIG_TARBALL="$(ls kubernetes_*.orig.tar.* | head -1)"

GOPATH_DIR="$BUILD_ROOT/gopath"
TREE="$BUILD_ROOT/kubernetes"
if [[ ! -f "$TREE/.kubeforge-unpacked" ]]; then
  step "unpacking $ORIG_TARBALL"
  rm -rf "$TREE" && mkdir -p "$TREE"
  tar -xf "$ORIG_TARBALL" -C "$TREE" --strip-components=1
  touch "$TREE/.kubeforge-unpacked"
fi
mkdir -p "$GOPATH_DIR/src/k8s.io"
ln -sfn "$TREE" "$GOPATH_DIR/src/k8s.io/kubernetes"

export GOPATH="$GOPATH_DIR" GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
export GOCACHE="$BUILD_ROOT/gocache"
cd "$GOPATH_DIR/src/k8s.io/kubernetes"

step "replacing vendored modern-go/reflect2 with Debian's 1.0.2 (1.0.1 crashes under Go >= 1.18)"
rsync -a --delete --exclude '*_test.go' /usr/share/gocode/src/github.com/modern-go/reflect2/ vendor/github.com/modern-go/reflect2/
# json-iterator 1.1.10 is built for reflect2 1.0.1: paired with 1.0.2 it silently drops
# values of json.Unmarshaler types (a CRD schema's `enum` and `default` vanish). Debian's
# 1.1.12 is the release made for reflect2 1.0.2.
step "replacing vendored json-iterator/go with Debian's 1.1.12 (matches reflect2 1.0.2)"
rsync -a --delete --exclude '*_test.go' /usr/share/gocode/src/github.com/json-iterator/go/ vendor/github.com/json-iterator/go/

# go-openapi's type check treats any zero value as null when built with Go >= 1.18
# (reflect.DeepEqual on two reflect.Values became true), so "" , 0 and false in custom
# resources are rejected as "null". Restore the Go 1.15 behaviour 1.20 shipped with: only nil is null.
step "patching go-openapi type validation for Go >= 1.18"
sed -i 's/if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {/if data == nil {/' \
  vendor/github.com/go-openapi/validate/type.go vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go
if grep -q 'reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data))' vendor/github.com/go-openapi/validate/type.go \
  vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go; then
  fail "could not patch go-openapi type validation"
fi

OPENAPI_FILE=pkg/generated/openapi/zz_generated.openapi.go
# vendor/k8s.io/<staging repo> are symlinks into staging/: grep -R follows them.
if [[ ! -f "$OPENAPI_FILE" ]]; then
  step "building openapi-gen"
  go build -o "$BUILD_ROOT/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  step "collecting packages tagged +k8s:openapi-gen"
  inputs="$(grep -Rl --include='*.go' '+k8s:openapi-gen=' pkg cmd plugin vendor/k8s.io \
      | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
      | xargs -n1 dirname | sort -u | sed 's#^#k8s.io/kubernetes/#' | paste -sd, -)"
  step "generating $OPENAPI_FILE"
  "$BUILD_ROOT/openapi-gen" -i "$inputs" -p k8s.io/kubernetes/pkg/generated/openapi \
    -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
    -o "$GOPATH_DIR/src" 2>&1 | tail -5
  [[ -f "$OPENAPI_FILE" ]] || fail "openapi-gen did not produce $OPENAPI_FILE"
fi

step "building kube-apiserver v$KUBE_VERSION (takes about 5 minutes on 2 cores the first time)"
VERSION_PKG=k8s.io/kubernetes/vendor/k8s.io/component-base/version
LDFLAGS="-s -w -X $VERSION_PKG.gitVersion=v$KUBE_VERSION -X $VERSION_PKG.gitMajor=1 -X $VERSION_PKG.gitMinor=20 -X $VERSION_PKG.gitTreeState=clean -X $VERSION_PKG.buildDate=1970-01-01T00:00:00Z"
go build -ldflags "$LDFLAGS" -o "$TARGET_DIR/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
mv "$TARGET_DIR/kube-apiserver.tmp" "$TARGET_DIR/kube-apiserver"
echo "$BUILD_ID" > "$TARGET_DIR/BUILD_ID"
step "kube-apiserver: $("$TARGET_DIR/kube-apiserver" --version)"
step "installed in $TARGET_DIR"
