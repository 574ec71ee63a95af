/**
 * Cleans up after a test process that dies without calling stop() (SIGKILL, crash): a detached
 * shell polls the owner's PID and, once it is gone, kills every process group listed in
 * `<stateDir>/pgids` and removes the control plane's directories. It exits by itself as soon
 * as stop() has removed the state directory.
 */
import { spawn } from 'node:child_process';

const SCRIPT = `
owner="$1"; state="$2"; shift 2
while kill -0 "$owner" 2>/dev/null && [ -d "$state" ]; do sleep 1; done
[ -d "$state" ] || exit 0
for g in $(cat "$state/pgids" 2>/dev/null); do kill -TERM -- "-$g" 2>/dev/null; done
sleep 2
for g in $(cat "$state/pgids" 2>/dev/null); do kill -KILL -- "-$g" 2>/dev/null; done
rm -rf "$state" "$@"
`;

export function startWatchdog(stateDir: string, extraDirs: readonly string[]): void {
  const child = spawn(
    'bash',
    ['-c', SCRIPT, 'kubeforge-watchdog', String(process.pid), stateDir, ...extraDirs],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  child.unref();
}
