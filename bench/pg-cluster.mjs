// A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temp dir, started on a
// free 127.0.0.1 port, as an unprivileged user when run as root (PostgreSQL
// refuses to run as root). Where no PostgreSQL is installed, says why.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a cluster, or returns the reason it cannot (see pg-cluster.d.mts). */
export async function startPostgres() {
  const bin = binDir();
  if (!bin) return 'PostgreSQL is not installed (apt-get install postgresql)';
  const dir = mkdtempSync(join(tmpdir(), 'databento-pg-'));
  // PostgreSQL will not run as root: hand the directory to the 'postgres' (else 'nobody') user.
  let user;
  if (process.getuid?.() === 0) {
    user = ['postgres', 'nobody'].find((u) => {
      try {
        execFileSync('id', ['-u', u], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!user) return 'running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as';
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd, args) => {
    const [file, argv] = user ? ['runuser', ['-u', user, '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir }).toString();
  };
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    run('pg_ctl', [
      '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `PostgreSQL could not be started: ${err.stderr?.toString().trim() || err.message}`;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase(name) {
      run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', `CREATE DATABASE ${name}`]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
