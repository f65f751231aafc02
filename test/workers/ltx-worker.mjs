// A worker process of the shared-limits tests: runs JOBS runTask jobs at once against the
// simulated LTX at BASE, sharing permits and the retry budget with the other workers through the
// Redis on REDIS_PORT. Prints one JSON line per settled job, then exits.
import { Redis } from 'ioredis';
import { createLimiter, redisStore, runTask } from '../../generated/index.js';

const { BASE, REDIS_PORT, JOBS = '10', WORKER = '0', PREFIX = 'errspec-test', LEASE_MS = '30000', INTERVAL_MS = '100' } = process.env;
const client = new Redis({ port: Number(REDIS_PORT), host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 });
const limiter = createLimiter({ store: redisStore(client, { prefix: PREFIX, leaseMs: Number(LEASE_MS) }) });

const jobs = Array.from({ length: Number(JOBS) }, (_, i) => `w${WORKER}-j${i}`);
await Promise.all(
  jobs.map(async (marker) => {
    const request = {
      submit: new Request(`${BASE}/v2/text-to-video`, { method: 'POST', body: JSON.stringify({ marker, prompt: 'a cat' }) }),
      poll: (id) => `${BASE}/v2/text-to-video/${id}`,
    };
    try {
      const task = await runTask('ltx', request, { limiter, intervalMs: Number(INTERVAL_MS) });
      process.stdout.write(JSON.stringify({ marker, ok: true, id: task.id }) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ marker, ok: false, giveUp: error.giveUp ?? null, category: error.category ?? null, message: error.message }) + '\n');
    }
  }),
);
client.disconnect();
