import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiStack } from './api-stack.ts';

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** SIGKILL: no shutdown, activities and workflow tasks in flight are abandoned mid-way. */
  kill(): Promise<void>;
  /** What it printed (for a failure's message). */
  output(): string;
}

/**
 * Starts a license worker as a child process (Node 24, as the test runs) on the stack's task
 * queue and database, and resolves once it polls. The stack runs without its own worker.
 */
export async function startWorkerProcess(stack: ApiStack, timeoutMs = 120_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, TEST_CHILD_DATABASE_URL: stack.db.url, TEST_CHILD_TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, TEST_CHILD_TASK_QUEUE: stack.taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker process did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker running')) (clearTimeout(timer), resolve());
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the worker process exited (${code}) before it ran:\n${output}`))));
  });
  return {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      // Nothing of the child may keep the test process alive (its pipes, its handle).
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    },
  };
}
