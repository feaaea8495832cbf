import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server for the warehouse tests: the one `.ci/run` started
 * (KPIOPS_TEST_DATABASE_URL), or else a throwaway cluster started here from Debian's
 * packages (initdb as an unprivileged user, trust auth, 127.0.0.1, a free port).
 */
export interface TestPostgres {
  url: string;
  stop(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Whether a server can be had: given by CI, or startable from the installed binaries. */
export const postgresAvailable = () => Boolean(process.env.KPIOPS_TEST_DATABASE_URL) || binDir() !== undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const given = process.env.KPIOPS_TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => undefined };
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL: set KPIOPS_TEST_DATABASE_URL or install Debian\'s postgresql package');
  const dir = mkdtempSync(join(tmpdir(), 'kpiops-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  // initdb refuses root: run the server as the unprivileged `postgres` user the package creates.
  const asUser = process.getuid?.() === 0 ? (args: string[]) => ['su', ['postgres', '-s', '/bin/sh', '-c', args.map((a) => `'${a}'`).join(' ')]] as const : (args: string[]) => [args[0]!, args.slice(1)] as const;
  const run = (args: string[]) => {
    const [cmd, rest] = asUser(args);
    execFileSync(cmd, [...rest], { stdio: 'pipe' });
  };
  run([join(bin, 'initdb'), '-D', data, '--auth=trust', '-U', 'kpiops', '-E', 'UTF8', '--no-sync']);
  run([join(bin, 'pg_ctl'), '-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
  return {
    url: `postgres://kpiops@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
