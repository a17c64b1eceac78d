/**
 * Leases on builds: while a process has a build loaded (the bot, a cron
 * `report-qa index`, a CLI `ask`), an empty file
 * `INDEX_DIR/leases/<buildId>.<pid>-<token>.<hostname>` says so, and
 * `cleanupIndexDir` keeps every build with a live lease, whatever its age.
 * A loaded build is answered from memory, but its files still matter: the
 * next incremental build reads its vector graph, and an admin rolling back
 * expects the build the bot serves to be on disk.
 *
 * The owner is in the name, so a lease appears whole (one create, no content
 * to parse) and cleanup needs no reads. A lease is removed when its process
 * swaps to another build or closes the app; one left by a killed process is
 * stale once its pid is gone (or, for our own pid, its token differs) and is
 * removed by the next cleanup. A lease of another host cannot be checked and
 * keeps its build until removed by hand.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { isOwnerAlive, thisProcess, type ProcessOwner } from './process-identity.js';

export const LEASES_DIR = 'leases';

/** `<buildId>.<pid>-<token>.<hostname>`; build ids and tokens hold no dots, hostnames may. */
const LEASE_NAME = /^([^.]+)\.(\d+)-([0-9a-f]+)\.(.+)$/;

function leaseFile(indexDir: string, buildId: string, owner: ProcessOwner): string {
  return path.join(indexDir, LEASES_DIR, `${buildId}.${owner.pid}-${owner.token}.${owner.hostname}`);
}

/**
 * The builds some live process holds. Leases of processes that are gone are
 * removed on the way (best effort: one that cannot be removed keeps nothing).
 */
export async function leasedBuilds(indexDir: string): Promise<Set<string>> {
  const dir = path.join(indexDir, LEASES_DIR);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const held = new Set<string>();
  for (const name of names) {
    const m = LEASE_NAME.exec(name);
    if (m === null) continue; // not a lease: leave it alone
    const owner = { pid: Number(m[2]), token: m[3]!, hostname: m[4]! };
    if (isOwnerAlive(owner)) held.add(m[1]!);
    else await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
  return held;
}

/**
 * This process's lease on the build it has loaded: `hold` moves it to a new
 * build (the new lease is taken before the old one goes, so the build being
 * swapped in is never unprotected), `release` drops it. Never throws: a lease
 * that cannot be written (read-only INDEX_DIR) is logged, and the build is
 * then only protected as the live one or its fallback.
 */
export class BuildLeaseHolder {
  readonly #indexDir: string;
  readonly #logger: Logger;
  readonly #owner = thisProcess();
  #file: string | undefined;

  constructor(indexDir: string, logger: Logger) {
    this.#indexDir = indexDir;
    this.#logger = logger;
  }

  async hold(buildId: string): Promise<void> {
    const file = leaseFile(this.#indexDir, buildId, this.#owner);
    if (file === this.#file) return;
    const old = this.#file;
    this.#file = undefined;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, '');
      this.#file = file;
    } catch (err) {
      this.#logger.warn('could not lease the loaded build; another process may clean it up', { buildId, error: describeError(err) });
    }
    if (old !== undefined) await this.#remove(old);
  }

  async release(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) await this.#remove(file);
  }

  async #remove(file: string): Promise<void> {
    // A lease left behind is only stale once this process exits: worth a warning, not a failure.
    await fs.rm(file, { force: true }).catch((err: unknown) => this.#logger.warn('could not remove a build lease', { file, error: describeError(err) }));
  }
}
