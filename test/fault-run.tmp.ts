import { runFault, type Fault } from './limiter-faults.js';
import { startRedis } from './redis-server.js';
const redis = await startRedis();
for (const f of process.argv.slice(2)) console.log(JSON.stringify(await runFault(f as Fault, 'redis', redis)));
await redis.stop();
