import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLocalOwnerAlive, isOwnerAlive, PROCESS_TOKEN, thisProcess } from '../../../src/index/process-identity.js';
import { deadPid } from '../../helpers/dead-pid.js';

describe('isOwnerAlive', () => {
  it('counts this process as alive', () => {
    expect(thisProcess()).toEqual({ pid: process.pid, hostname: os.hostname(), token: PROCESS_TOKEN });
    expect(isOwnerAlive(thisProcess())).toBe(true);
  });

  it('counts our own pid with another token as gone (a restarted container reuses the pid)', () => {
    const other = PROCESS_TOKEN === '00000000' ? '11111111' : '00000000';
    expect(isOwnerAlive({ ...thisProcess(), token: other })).toBe(false);
    expect(isLocalOwnerAlive(process.pid, other)).toBe(false);
  });

  it('counts another running process of this host as alive and an exited one as gone', () => {
    expect(isOwnerAlive({ pid: process.ppid, hostname: os.hostname(), token: 'abcd' })).toBe(true);
    expect(isOwnerAlive({ pid: deadPid(), hostname: os.hostname(), token: 'abcd' })).toBe(false);
  });

  it('counts an owner on another host as alive, since its pid cannot be checked', () => {
    expect(isOwnerAlive({ pid: deadPid(), hostname: `not-${os.hostname()}`, token: 'abcd' })).toBe(true);
  });
});
