import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../../lib/ports.ts';

/** How long a launched test server may take to listen: a JVM on a loaded machine is slow, never hung this long. */
const START_DEADLINE_MS = 120_000;

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function untilListening(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!(await accepts(port))) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the time-skipping test server exited (${server.exitCode ?? server.signalCode}) before it listened`);
    if (Date.now() > deadline) throw new Error(`the time-skipping test server did not listen on port ${port} within ${START_DEADLINE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The client's keepalive for the test server. The SDK pings every 30 s, even without calls; the
 * Java server (grpc-java's default: at most one ping per 5 min) answers a second early ping with
 * GOAWAY "too_many_pings". A file that runs for minutes on a loaded machine then loses calls in
 * flight, and a lost time-skipping unlock leaves the server's clock stopped, so the test hangs.
 * The connection is local: one ping per 10 min, and only during a call.
 */
const QUIET_KEEPALIVE = { 'grpc.keepalive_time_ms': 600_000, 'grpc.keepalive_timeout_ms': 15_000, 'grpc.keepalive_permit_without_calls': 0 };

/** The SDK's own factory, which createFromExistingServer calls too, asked for time skipping (its public form never is). */
const createEnvironment = (TestWorkflowEnvironment as unknown as { create(options: object): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);

/**
 * The time-skipping test server at `executable` (a launcher taking the port as its argument),
 * started here rather than by TestWorkflowEnvironment.createTimeSkipping: the SDK gives a server
 * it launches a fixed 5 s to answer, and the JVM behind it takes 8 to 11 s to start beside a CPU
 * hog on a loaded 2-core machine. Here it gets as long as it needs; the environment is then
 * the SDK's own, with time skipping, connected to it, and its teardown stops the server.
 */
export async function launchTimeSkippingEnvironment(executable: string): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const server = spawn(executable, [String(port)], { stdio: 'ignore' });
  const stopOnExit = () => server.kill('SIGKILL');
  process.once('exit', stopOnExit);
  const stop = async () => {
    process.off('exit', stopOnExit);
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  try {
    await untilListening(port, server);
    const env = await createEnvironment({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true, connectionOptions: { channelArgs: QUIET_KEEPALIVE } });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      await stop();
    };
    return env;
  } catch (error) {
    await stop();
    throw error;
  }
}
