import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockLedger, type LockProcess } from '../../src/deliver/ledger-lock.js';
import { tempDir } from '../support/snapshots.js';

/** A ledger whose lock a run with pid 4242 on this host holds. */
function heldLedger(): string {
  const ledger = join(tempDir('kpiops-lock-'), 'ledger.jsonl');
  writeFileSync(`${ledger}.lock`, JSON.stringify({ pid: 4242, host: hostname(), since: '2026-11-04T05:17:00.000Z', token: 'other' }));
  return ledger;
}

describe('the ledger lock', () => {
  it('asks the process it is handed whether a holder on this host is alive, and records the pid it is handed', async () => {
    const asked: number[] = [];
    const dead: LockProcess = { pid: 777, alive: (pid) => (asked.push(pid), false) };
    const ledger = heldLedger();
    const taken = await lockLedger(ledger, { self: dead, waitMs: 0 });
    expect('lock' in taken).toBe(true);
    expect(asked).toContain(4242);
    expect(JSON.parse(readFileSync(`${ledger}.lock`, 'utf8'))).toMatchObject({ pid: 777, host: hostname() });
    if ('lock' in taken) taken.lock.release();
  });

  it('leaves a lock whose holder the probe finds alive, and says who holds it', async () => {
    const live: LockProcess = { pid: 777, alive: () => true };
    const taken = await lockLedger(heldLedger(), { self: live, waitMs: 0 });
    expect(taken).toMatchObject({ busy: { pid: 4242, token: 'other' } });
  });
});
