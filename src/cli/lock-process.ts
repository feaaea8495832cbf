import type { LockProcess } from '../deliver/ledger-lock.js';

/** Whether a process of this host is alive (a signal 0 reaches it, or it exists but belongs to another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This kpiops process, as the ledger's lock records and probes it. */
export const thisProcess: LockProcess = { pid: process.pid, alive };
