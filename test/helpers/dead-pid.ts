/**
 * A pid of this host that no longer runs: that of a child which has exited and
 * been reaped. The kernel hands pids out in increasing order, so it is not
 * reused within a test.
 */
import { spawnSync } from 'node:child_process';

export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (child.pid === undefined || child.status !== 0) throw new Error('could not run a short-lived child process');
  return child.pid;
}
