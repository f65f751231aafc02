/**
 * Time to success under faults (issue #19): scripted failures from a server on 127.0.0.1, each
 * answered with a success once its failures are spent, replayed against `fetchWithRetry` for
 * Evolink. Beside each, the scripted ideal: the waits the server stated, summed (a client that
 * waits exactly what it is told, and not a millisecond more). Where the server states no wait but
 * the provider's documents do (Evolink's 503: "retry after 30 seconds"), the ideal is the
 * documented minimum; where neither does, it is 0 and the figure shows what the spec's schedule
 * costs.
 *
 * Waits of seconds are slept for real. The documented 30 s waits are not: a `sleep` that only adds
 * each wait to a clock stands in for them, so that the row takes milliseconds and still reports
 * the time a caller would wait.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fetchWithRetry, isProviderError } from '../../generated/index.js';
import { startServer } from '../helpers.js';

interface Failure {
  readonly status: number;
  /** Headers, with `{date: ms}` standing for an HTTP-date that many milliseconds from the moment of the answer. */
  readonly headers?: Readonly<Record<string, string | { readonly date: number }>>;
  readonly body: string;
  readonly contentType: string;
}

interface Scenario {
  readonly name: string;
  readonly failures: readonly Failure[];
  /** A wait the provider's documents state for this failure when the server states none (ms). */
  readonly documentedMs?: number;
  /** Options of the call besides the sleep. */
  readonly options?: { readonly maxDelayMs?: number };
  /** The documented waits are slept on a clock of our own instead of for real. */
  readonly virtual?: boolean;
  /** What the call must end with: 'ok', or `gave up: <reason>`. */
  readonly expect: string;
}

export interface TimeToSuccess {
  readonly name: string;
  /** What the caller waited, from the call to its outcome (real time plus any virtual sleep), ms. */
  readonly ms: number;
  /** The scripted ideal: the waits stated by the server (or, where it states none, the documents), summed, ms. */
  readonly idealMs: number;
  /** The server stated every wait of the ideal (a header), rather than the documents or nobody. */
  readonly stated: boolean;
  readonly requests: number;
  /** 'ok', or why the call gave up. */
  readonly outcome: string;
  /** What the scenario expects it to end with. */
  readonly expected: string;
  /** The waits the call slept, ms. */
  readonly waits: readonly number[];
}

const json = (code: number, message: string, type: string): string => JSON.stringify({ error: { code, message, type } });
const RATE_LIMITED = json(429, 'Rate limit exceeded', 'rate_limit_error');
const UNAVAILABLE = json(503, 'Service temporarily unavailable', 'service_unavailable_error');
const BAD_GATEWAY_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';
/** Evolink's documented wait after a 503 ("retry after 30 seconds"): its spec's minWaitMs. */
const DOCUMENTED_503_MS = 30_000;

export const SCENARIOS: readonly Scenario[] = [
  { name: '429 with Retry-After: 2, then 200', failures: [{ status: 429, headers: { 'retry-after': '2' }, body: RATE_LIMITED, contentType: 'application/json' }], expect: 'ok' },
  { name: '429 with retry-after-ms: 1500, then 200', failures: [{ status: 429, headers: { 'retry-after-ms': '1500' }, body: RATE_LIMITED, contentType: 'application/json' }], expect: 'ok' },
  { name: '429 with Retry-After as an HTTP-date 2 s ahead, then 200', failures: [{ status: 429, headers: { 'retry-after': { date: 2000 } }, body: RATE_LIMITED, contentType: 'application/json' }], expect: 'ok' },
  { name: 'GET 502 with an HTML body (no stated wait), then 200', failures: [{ status: 502, body: BAD_GATEWAY_PAGE, contentType: 'text/html' }], expect: 'ok' },
  {
    name: '503 five times, then 200 (documented: retry after 30 s)',
    failures: Array.from({ length: 5 }, () => ({ status: 503, body: UNAVAILABLE, contentType: 'application/json' })),
    documentedMs: DOCUMENTED_503_MS,
    virtual: true,
    expect: 'ok',
  },
  {
    name: 'the same with maxDelayMs: 10000 (gives up at once)',
    failures: Array.from({ length: 5 }, () => ({ status: 503, body: UNAVAILABLE, contentType: 'application/json' })),
    options: { maxDelayMs: 10_000 },
    virtual: true,
    expect: 'gave up: max_delay',
  },
];

/** One scenario, against a server of its own: nothing carries over between them. */
async function run(scenario: Scenario): Promise<TimeToSuccess> {
  let requests = 0;
  let idealMs = 0;
  const server = await startServer((_req: IncomingMessage, res: ServerResponse) => {
    const failure = scenario.failures[requests++];
    if (failure === undefined) {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
      return;
    }
    res.statusCode = failure.status;
    res.setHeader('content-type', failure.contentType);
    for (const [name, value] of Object.entries(failure.headers ?? {})) {
      if (typeof value === 'string') {
        res.setHeader(name, value);
        // Every header these scenarios send is a wait: Retry-After in seconds, retry-after-ms.
        idealMs += name === 'retry-after' ? Number(value) * 1000 : Number(value);
      } else {
        // An HTTP-date has whole seconds: the wait it states is from now to that second.
        const at = new Date(Date.now() + value.date);
        res.setHeader(name, at.toUTCString());
        idealMs += Math.max(0, Math.floor(at.getTime() / 1000) * 1000 - Date.now());
      }
    }
    if (scenario.documentedMs !== undefined && (failure.headers === undefined || Object.keys(failure.headers).length === 0)) idealMs += scenario.documentedMs;
    res.end(failure.body);
  });
  const waits: number[] = [];
  let virtualMs = 0;
  const sleep = scenario.virtual
    ? (ms: number): Promise<void> => {
        waits.push(ms);
        virtualMs += ms;
        return Promise.resolve();
      }
    : undefined;
  const started = performance.now();
  let outcome = 'ok';
  try {
    const response = await fetchWithRetry('evolink', `${server.base}/v1/images/generations/task-1`, { method: 'GET' }, {
      ...scenario.options,
      ...(sleep ? { sleep } : {}),
      maxAttempts: scenario.failures.length + 1,
      onRetry: sleep ? undefined : (info: { delayMs: number }) => void waits.push(info.delayMs),
    });
    await response.text();
  } catch (error) {
    outcome = isProviderError(error) ? `gave up: ${error.giveUp ?? error.category}` : `threw ${String(error)}`;
  }
  const ms = performance.now() - started + virtualMs;
  await server.close();
  // The server stated every wait when every failure carried its wait in a header.
  const stated = scenario.documentedMs === undefined && scenario.failures.every((f) => f.headers !== undefined);
  // A call that gives up is measured against giving up at once, which is all a caller can wish for.
  return { name: scenario.name, ms, idealMs: scenario.expect === 'ok' ? idealMs : 0, stated, requests, outcome, expected: scenario.expect, waits };
}

export async function timeToSuccess(): Promise<TimeToSuccess[]> {
  // Once unmeasured, on a virtual clock, so that loading and compiling the executor's paths for
  // this provider is not counted against the first scenario (it was 100 to 300 ms of it).
  await run({ ...SCENARIOS[0]!, virtual: true });
  const results: TimeToSuccess[] = [];
  for (const scenario of SCENARIOS) results.push(await run(scenario));
  return results;
}
