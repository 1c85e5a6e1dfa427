import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../lib/embedded-postgres.ts';
import { freePort } from '../../lib/ports.ts';

export interface KillablePostgres {
  url: string;
  /** SIGKILL to the postmaster and every backend at once: a crash, not a shutdown. */
  kill(): void;
  /** Starts it again on the same folder and port (crash recovery replays the WAL). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The processes whose parent is `pid` (the postmaster's backends and helpers). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after it.
        return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A Postgres cluster of its own (not the run's shared one), for a test that kills it and
 * starts it again. Durable settings (fsync, synchronous commit): what it acknowledged must
 * survive the kill.
 */
export async function startKillablePostgres(database: string): Promise<KillablePostgres> {
  if (!process.env.TEST_ROOT) throw new Error('TEST_ROOT is not set: run the tests through jest (global setup)');
  // Under the run's folder, which the global setup opened to the `postgres` user (as root).
  const dir = path.join(process.env.TEST_ROOT, `killable-${database}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dir: path.join(dir, 'cluster'), port, database });
  let running: RunningPostgres = await start();
  return {
    url: running.url,
    kill() {
      const postmaster = Number(readFileSync(path.join(dir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
      const victims = [postmaster, ...childrenOf(postmaster)];
      for (const pid of victims) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    async restart() {
      running = await start();
    },
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
