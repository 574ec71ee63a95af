#!/usr/bin/env bash
# Runs a command while holding the control-plane setup lock, so two setups on one machine
# (two projects, parallel CI jobs) never build into the same directory at the same time: the
# second waits for the first, then finds its work done (every setup step is idempotent).
# The lock is ${XDG_CACHE_HOME:-~/.cache}/kubeforge/setup.lock, taken with flock(1) and released
# by the kernel when the holder exits, even on kill -9. Where flock is missing, a lock
# directory holding the owner's PID is used instead; a lock whose owner is gone is taken over.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: with-setup-lock.sh <command> [args...]" >&2
  exit 2
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/kubeforge"
mkdir -p "$cache"
lock="$cache/setup.lock"

# KUBEFORGE_SETUP_LOCK_TOOL=mkdir forces the fallback (tests).
if [ "${KUBEFORGE_SETUP_LOCK_TOOL:-flock}" = flock ] && command -v flock >/dev/null 2>&1; then
  exec 9>>"$lock"
  if ! flock -n 9; then
    echo "[setup-control-plane] another setup holds $lock; waiting for it to finish" >&2
    flock 9
  fi
  "$@"
  exit $?
fi

dir="$lock.d"
announced=0
until mkdir "$dir" 2>/dev/null; do
  owner="$(cat "$dir/pid" 2>/dev/null || true)"
  if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
    echo "[setup-control-plane] taking over the lock of exited setup $owner" >&2
    rm -rf "$dir"
    continue
  fi
  if [ "$announced" -eq 0 ]; then
    echo "[setup-control-plane] another setup (pid ${owner:-?}) holds $dir; waiting for it to finish" >&2
    announced=1
  fi
  sleep 1
done
echo $$ >"$dir/pid"
trap 'rm -rf "$dir"' EXIT
"$@"
