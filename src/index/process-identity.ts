/**
 * Who owns a file another process left in INDEX_DIR (a temporary build, a
 * lease, the build lock), and whether that owner still runs. Owners are named
 * by host, pid and a per-process random token: pids are reused quickly (in a
 * container the bot is PID 1 after every restart), so a file of our own pid
 * but another token was left by a dead process, not by us.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';

/** Tells this process's files from those of a dead process that had the same pid. */
export const PROCESS_TOKEN = randomBytes(4).toString('hex');

/** The owner recorded in a lease or lock file. */
export interface ProcessOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
}

export function thisProcess(): ProcessOwner {
  return { pid: process.pid, hostname: os.hostname(), token: PROCESS_TOKEN };
}

/**
 * True unless the owner is known to be gone: this process with another token,
 * or a pid of this host that no longer runs. An owner on another host (a shared
 * network folder) cannot be checked and counts as alive.
 */
export function isOwnerAlive(owner: ProcessOwner): boolean {
  return owner.hostname !== os.hostname() || isLocalOwnerAlive(owner.pid, owner.token);
}

/** Whether the process of this host with `pid` and `token` still runs. */
export function isLocalOwnerAlive(pid: number, token: string): boolean {
  if (pid === process.pid) return token === PROCESS_TOKEN;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid runs, as another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
