import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who holds a ledger's lock: written into the lock file, shown to whoever has to wait. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** Tells this holding apart from a later one by the same pid. */
  token: string;
}

export interface LedgerLock {
  path: string;
  release(): void;
}

/**
 * The running kpiops as the lock sees it, handed in by the command: its pid, written into
 * the lock, and whether a process on this host is still alive (a holder that is not has
 * abandoned its lock).
 */
export interface LockProcess {
  pid: number;
  alive(pid: number): boolean;
}

export interface LockOptions {
  self: LockProcess;
  /** How long to wait for another run to finish with the ledger before giving up. */
  waitMs: number;
  /** A lock not refreshed for this long is abandoned, whoever holds it (default 60 s; it is refreshed every 10 s). */
  staleMs?: number;
  /** Told once, when the lock is held by someone else and the wait begins. */
  onWait?: (holder: LockHolder | undefined, lockFile: string) => void;
}

const HEARTBEAT_MS = 10_000;
const POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // gone, or being written this instant
  }
}

/**
 * A lock is abandoned when its process is gone (checked on this host, where a pid means
 * something), or when it was not refreshed for `staleMs` (a process on another host
 * sharing the directory, a hung one, or a pid since reused by an unrelated process).
 */
function abandoned(path: string, holder: LockHolder | undefined, staleMs: number, self: LockProcess): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return false; // released meanwhile: just try again
  }
  if (holder && holder.host === hostname() && !self.alive(holder.pid)) return true;
  return age > staleMs;
}

/**
 * Removes an abandoned lock. Only one process at a time may do that (the `.break` file), and
 * it removes the lock only if it is still the holding it judged abandoned: another process
 * that took the lock meanwhile keeps it.
 */
function breakLock(path: string, judged: LockHolder | undefined): boolean {
  const guard = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch {
    try {
      if (Date.now() - statSync(guard).mtimeMs > 30_000) unlinkSync(guard); // left by a process that died breaking a lock
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    const now = readHolder(path);
    if (now?.token === judged?.token) unlinkSync(path);
  } catch {
    // already removed
  } finally {
    closeSync(fd);
    unlinkSync(guard);
  }
  return true;
}

function tryCreate(path: string, self: LockProcess): LockHolder | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw e;
  }
  const holder: LockHolder = { pid: self.pid, host: hostname(), since: new Date().toISOString(), token: randomUUID() };
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return holder;
}

/**
 * Takes the ledger's lock (`<ledger>.lock`), so that one run at a time reads the ledger,
 * decides what is owed and sends it: two runs started together would otherwise both find
 * every recipient owed. Waits up to `waitMs` for another run, and takes over a lock its
 * holder abandoned. Returns the holder when the wait runs out.
 */
export async function lockLedger(ledgerPath: string, options: LockOptions): Promise<{ lock: LedgerLock } | { busy: LockHolder | undefined; lockFile: string }> {
  const path = `${ledgerPath}.lock`;
  const staleMs = options.staleMs ?? 60_000;
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    const mine = tryCreate(path, options.self);
    if (mine) {
      const heartbeat = setInterval(() => {
        try {
          const t = new Date();
          utimesSync(path, t, t);
        } catch {
          // the lock file was removed under us; release() copes
        }
      }, HEARTBEAT_MS);
      heartbeat.unref();
      return {
        lock: {
          path,
          release() {
            clearInterval(heartbeat);
            if (readHolder(path)?.token === mine.token) unlinkSync(path);
          },
        },
      };
    }
    const holder = readHolder(path);
    if (abandoned(path, holder, staleMs, options.self)) {
      if (!breakLock(path, holder)) await sleep(POLL_MS);
      continue;
    }
    if (Date.now() >= deadline) return { busy: holder, lockFile: path };
    if (!told) {
      told = true;
      options.onWait?.(holder, path);
    }
    await sleep(POLL_MS);
  }
}
