import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildLeaseHolder, LEASES_DIR, leasedBuilds } from '../../../src/index/build-leases.js';
import { buildDir, cleanupIndexDir, newBuildId } from '../../../src/index/index-store.js';
import { PROCESS_TOKEN } from '../../../src/index/process-identity.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import { deadPid } from '../../helpers/dead-pid.js';

let indexDir: string;
let leasesDir: string;
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'build-leases-test-'));
  leasesDir = path.join(indexDir, LEASES_DIR);
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

/** Build ids in increasing order, one a day from 2026-01-01. */
const ids = Array.from({ length: 5 }, (_, i) => newBuildId(new Date(Date.UTC(2026, 0, i + 1))));

async function makeBuilds(live: string): Promise<void> {
  for (const id of ids) await fs.mkdir(buildDir(indexDir, id), { recursive: true });
  await fs.writeFile(path.join(indexDir, 'CURRENT'), live + '\n');
}

async function remainingBuilds(): Promise<string[]> {
  return (await fs.readdir(path.join(indexDir, 'builds'))).sort();
}

const ownLease = (buildId: string): string => `${buildId}.${process.pid}-${PROCESS_TOKEN}.${os.hostname()}`;

describe('BuildLeaseHolder', () => {
  it('holds one lease, moves it to the next build, and releases it', async () => {
    const leases = new BuildLeaseHolder(indexDir, silentLogger);
    await leases.hold(ids[0]!);
    expect(await fs.readdir(leasesDir)).toEqual([ownLease(ids[0]!)]);
    expect(await leasedBuilds(indexDir)).toEqual(new Set([ids[0]]));
    await leases.hold(ids[0]!); // the same build again: nothing changes
    await leases.hold(ids[1]!);
    expect(await fs.readdir(leasesDir)).toEqual([ownLease(ids[1]!)]);
    await leases.release();
    expect(await fs.readdir(leasesDir)).toEqual([]);
    expect(await leasedBuilds(indexDir)).toEqual(new Set());
  });

  it('logs and carries on when the lease cannot be written', async () => {
    await fs.writeFile(leasesDir, 'a file where the folder should be');
    const lines: string[] = [];
    const leases = new BuildLeaseHolder(indexDir, createLogger({ level: 'warn', write: (l) => lines.push(l) }));
    await leases.hold(ids[0]!);
    expect(lines).toEqual([expect.stringContaining('could not lease the loaded build')]);
    await leases.release();
    expect(lines).toHaveLength(1);
  });
});

describe('leasedBuilds', () => {
  it('is empty without a leases folder', async () => {
    expect(await leasedBuilds(indexDir)).toEqual(new Set());
  });

  it('counts leases of live processes and other hosts, removes those of dead processes, ignores other files', async () => {
    await fs.mkdir(leasesDir);
    const host = os.hostname();
    const names = {
      parent: `${ids[0]}.${process.ppid}-abcd1234.${host}`,
      otherHost: `${ids[1]}.${deadPid()}-abcd1234.other.example.org`,
      dead: `${ids[2]}.${deadPid()}-abcd1234.${host}`,
      earlierSelf: `${ids[3]}.${process.pid}-${PROCESS_TOKEN === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'}.${host}`,
      notALease: 'README',
    };
    for (const name of Object.values(names)) await fs.writeFile(path.join(leasesDir, name), '');
    expect(await leasedBuilds(indexDir)).toEqual(new Set([ids[0], ids[1]]));
    expect((await fs.readdir(leasesDir)).sort()).toEqual([names.parent, names.otherHost, names.notALease].sort());
  });
});

describe('cleanupIndexDir with leases', () => {
  it('removes old builds but keeps the live one, its fallback, and any leased one', async () => {
    await makeBuilds(ids[4]!);
    const leases = new BuildLeaseHolder(indexDir, silentLogger);
    await leases.hold(ids[1]!);
    await cleanupIndexDir(indexDir);
    expect(await remainingBuilds()).toEqual([ids[1], ids[3], ids[4]]);

    await leases.release();
    await cleanupIndexDir(indexDir);
    expect(await remainingBuilds()).toEqual([ids[3], ids[4]]);
  });

  it('does not let the lease of a dead process protect its build', async () => {
    await makeBuilds(ids[4]!);
    await fs.mkdir(leasesDir);
    await fs.writeFile(path.join(leasesDir, `${ids[0]}.${deadPid()}-abcd1234.${os.hostname()}`), '');
    await cleanupIndexDir(indexDir);
    expect(await remainingBuilds()).toEqual([ids[3], ids[4]]);
    expect(await fs.readdir(leasesDir)).toEqual([]);
  });
});
