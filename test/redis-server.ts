/**
 * A real redis-server for the shared-limits tests: started on a free port with nothing saved to
 * disk, stopped and restarted on demand. Debian's redis-server package; `.ci/run` installs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServer {
  readonly port: number;
  /** Kills the server (SIGKILL: nothing is flushed); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port; nothing when it runs. */
  start(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const server: RedisServer = {
    port,
    async start() {
      if (child !== null && child.exitCode === null) return;
      child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
      const spawned = child;
      await new Promise<void>((resolve, reject) => {
        spawned.once('error', (error) => reject(new Error(`cannot start ${BINARY}: ${error.message} (install Debian's redis-server; .ci/run does)`)));
        void waitForPing(port).then(resolve, reject);
      });
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
  await server.start();
  return server;
}

async function waitForPing(port: number): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A refused connect while the server starts is expected: the loop asks again.
  client.on('error', () => undefined);
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
