// A worker process of the shared-limits tests: runs JOBS runTask jobs at once against the
// simulated LTX at BASE, sharing permits and the retry budget with the other workers through the
// Redis on REDIS_PORT (STORE=local: a limiter of this process only). Prints one JSON line per
// settled job, and a line per event ({"event":"retry"|"lease",...}) as it happens, then exits.
import { Redis } from 'ioredis';
import { createLimiter, redisStore, runTask } from '../../generated/index.js';

const { BASE, REDIS_PORT, JOBS = '10', WORKER = '0', PREFIX = 'errspec-test', LEASE_MS = '30000', INTERVAL_MS = '100', STORE = 'redis' } = process.env;
const client = STORE === 'redis' ? new Redis({ port: Number(REDIS_PORT), host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 }) : null;
// A Redis restarting refuses connections for a moment: the limiter reports what it costs, not the client.
client?.on('error', () => undefined);
const limiter = createLimiter(client ? { store: redisStore(client, { prefix: PREFIX, leaseMs: Number(LEASE_MS) }) } : {});
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const jobs = Array.from({ length: Number(JOBS) }, (_, i) => `w${WORKER}-j${i}`);
await Promise.all(
  jobs.map(async (marker) => {
    const request = {
      submit: new Request(`${BASE}/v2/text-to-video`, { method: 'POST', body: JSON.stringify({ marker, prompt: 'a cat' }) }),
      poll: (id) => `${BASE}/v2/text-to-video/${id}`,
    };
    try {
      const task = await runTask('ltx', request, {
        limiter,
        intervalMs: Number(INTERVAL_MS),
        onRetry: ({ delayMs, error }) => print({ event: 'retry', marker, delayMs, source: error.source }),
        onLease: ({ kind }) => print({ event: 'lease', marker, kind }),
      });
      print({ marker, ok: true, id: task.id });
    } catch (error) {
      print({ marker, ok: false, giveUp: error.giveUp ?? null, category: error.category ?? null, message: error.message });
    }
  }),
);
client?.disconnect();
