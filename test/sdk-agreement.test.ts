/**
 * errspec against the providers' own clients. Each provider's example failures are replayed by a
 * local server, to the official SDK's main POST (test/sdk-clients.ts) and to `fetchWithRetry` with
 * the same method; the test records whether each sent the request again and how long it waited
 * first, and prints the table. Every disagreement must be explained next to its entry in the spec
 * (`sdk:` on the code or status), and every explanation must still be needed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithRetry, ProviderError, type ProviderId } from '../generated/index.js';
import type { ExampleModel, ProviderModel } from '../generator/model.js';
import { recordingSleep } from './executor-helpers.js';
import { checkDir, SPEC_DIR, startServer, type LocalServer } from './helpers.js';
import { SDK_CLIENTS, type SdkClient } from './sdk-clients.js';

/** What one client did with a response replayed to every request it sent. */
interface Run {
  readonly requests: number;
  /** The first wait before sending again, in ms; null when it did not send again. */
  readonly firstWaitMs: number | null;
  /** What the call settled with: the error's class and status, or errspec's give-up reason. */
  readonly outcome: string;
}

interface Row {
  readonly provider: string;
  readonly method: Method;
  readonly example: ExampleModel;
  /** The spec entry that decided errspec's reading: `code <code>`, `status <status>`, or `elsewhere` (the taxonomy's). */
  readonly entry: string;
  readonly sdk: Run;
  readonly errspec: Run;
  /** The server stated a wait (errspec read one), so the waits must agree. */
  readonly statedWaitMs: number | null;
  /** Why the two differ, in the words a user needs; null when they agree. */
  readonly disagreement: string | null;
  /** The spec's explanation next to the entry, or null. */
  readonly explained: string | null;
}

let server: LocalServer;
let replay: ExampleModel | null = null;
let requests = 0;

function answer(_req: IncomingMessage, res: ServerResponse): void {
  requests += 1;
  const example = replay!;
  const text = typeof example.body === 'string' ? example.body : example.body === undefined ? '' : JSON.stringify(example.body);
  const type = typeof example.body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(example.status!, { 'content-type': type, ...example.headers }).end(text);
}

/**
 * Runs `send` while the SDK's retry waits are recorded and cut to nothing: a timer set from a stack
 * `site` matches. Nothing else is touched, so request timeouts and the server keep real time.
 */
async function withRecordedWaits(site: RegExp, send: () => Promise<unknown>): Promise<{ waits: number[]; settled: unknown }> {
  const realSetTimeout = globalThis.setTimeout;
  const waits: number[] = [];
  const patched = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (site.test(new Error().stack ?? '')) {
      waits.push(ms ?? 0);
      return realSetTimeout(callback, 0, ...args);
    }
    return realSetTimeout(callback, ms, ...args);
  };
  globalThis.setTimeout = patched as typeof setTimeout;
  try {
    return { waits, settled: await send().then((value) => value, (error: unknown) => error) };
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

function describeSettled(settled: unknown): string {
  if (!(settled instanceof Error)) return 'resolved';
  const status = (settled as { status?: unknown; statusCode?: unknown }).status ?? (settled as { statusCode?: unknown }).statusCode;
  return `${settled.constructor.name}${typeof status === 'number' ? ` ${status}` : ''}`;
}

type Method = 'POST' | 'GET';

async function runSdk(client: SdkClient, method: Method, example: ExampleModel): Promise<Run> {
  replay = example;
  requests = 0;
  const { waits, settled } = await withRecordedWaits(client.retrySleep, () => (method === 'POST' ? client.send(server.base) : client.get(server.base)));
  return { requests, firstWaitMs: requests > 1 ? (waits[0] ?? 0) : null, outcome: describeSettled(settled) };
}

async function runErrspec(provider: ProviderModel, method: Method, example: ExampleModel): Promise<Run & { statedWaitMs: number | null; entry: string }> {
  replay = example;
  requests = 0;
  const sleep = recordingSleep();
  const init = method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a lighthouse at dusk' }) };
  try {
    await fetchWithRetry(provider.id as ProviderId, `${server.base}/generate`, init, { sleep: sleep.sleep });
    throw new Error(`${provider.id}: a failure replayed to every request resolved`);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const outcome = `${error.category}, gave up: ${error.giveUp}`;
    return { requests, firstWaitMs: requests > 1 ? (sleep.waits[0] ?? 0) : null, outcome, statedWaitMs: error.retryAfterMs, entry: entryOf(provider, error) };
  }
}

/** A stated wait is the wait for both, give or take errspec's upward jitter (10 %) and 50 ms. */
function waitsAgree(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(a, b) * 0.1 + 50;
}

function disagreement(sdk: Run, errspec: Run, statedWaitMs: number | null): string | null {
  const sdkRetried = sdk.requests > 1;
  const errspecRetried = errspec.requests > 1;
  if (sdkRetried && !errspecRetried) return 'the SDK sends it again; errspec does not';
  if (!sdkRetried && errspecRetried) return 'errspec sends it again; the SDK does not';
  if (sdkRetried && statedWaitMs !== null && !waitsAgree(sdk.firstWaitMs!, errspec.firstWaitMs!)) return 'both send it again, after different waits';
  return null;
}

/**
 * The spec entry that decided errspec's reading: the code it read when the spec declares it, else
 * the status's entry (or the code that status stands for).
 */
function entryOf(provider: ProviderModel, error: ProviderError): string {
  if (error.known && error.code !== null) return `code ${error.code}`;
  const status = provider.statuses.find((s) => s.status === error.status);
  if (status === undefined) return 'elsewhere';
  return status.code ? `code ${status.code}` : `status ${error.status}`;
}

/** The explanation the spec gives next to an entry, or null. */
function sdkNote(provider: ProviderModel, entry: string): string | null {
  if (entry === 'elsewhere') return provider.sdkElsewhere;
  const space = entry.indexOf(' ');
  const [kind, key] = [entry.slice(0, space), entry.slice(space + 1)];
  if (kind === 'code') return provider.http.codes.find((c) => c.code === key)?.sdk ?? null;
  return provider.statuses.find((s) => String(s.status) === key)?.sdk ?? null;
}

const { model } = checkDir(SPEC_DIR);
const rows: Row[] = [];

beforeAll(async () => {
  server = await startServer(answer);
});
afterAll(async () => {
  await server.close();
  if (rows.length > 0) console.log(agreementTable(rows));
});

function agreementTable(all: readonly Row[]): string {
  const wait = (run: Run) => (run.firstWaitMs === null ? '' : ` after ${Math.round(run.firstWaitMs)} ms`);
  const lines = ['provider | method | example | SDK | errspec | agreement'];
  for (const row of all) {
    const verdict = row.disagreement === null ? 'agree' : `${row.disagreement}: ${row.explained ?? 'NOT EXPLAINED'}`;
    lines.push(
      `${row.provider} | ${row.method} | ${row.example.status} ${row.example.name} (${row.entry}) | ${row.sdk.requests} sent${wait(row.sdk)}, ${row.sdk.outcome} | ${row.errspec.requests} sent${wait(row.errspec)}, ${row.errspec.outcome} | ${verdict}`,
    );
  }
  lines.push('', 'provider | SDK | method | examples | same decision | differs, explained in the spec');
  for (const client of SDK_CLIENTS) {
    for (const method of ['POST', 'GET'] as const) {
      const mine = all.filter((r) => r.provider === client.provider && r.method === method);
      const differs = mine.filter((r) => r.disagreement !== null);
      lines.push(`${client.provider} | ${client.sdk} | ${method} | ${mine.length} | ${mine.length - differs.length} | ${differs.length}`);
    }
  }
  return lines.join('\n');
}

for (const client of SDK_CLIENTS) {
  const provider = model!.providers.find((p) => p.id === client.provider)!;
  const failures = provider.http.examples.filter((e) => e.status !== null && e.status >= 400);
  for (const [method, call] of [['POST', client.call], ['GET', client.read]] as const) {
    describe(`${client.sdk} (${call}) and errspec (${method}) on ${provider.id}'s example failures`, () => {
      it.each(failures.map((e) => [e.name, e] as const))('%s', async (_name, example) => {
        const sdk = await runSdk(client, method, example);
        const errspec = await runErrspec(provider, method, example);
        const found = disagreement(sdk, errspec, errspec.statedWaitMs);
        const explained = sdkNote(provider, errspec.entry);
        rows.push({ provider: provider.id, method, example, entry: errspec.entry, sdk, errspec, statedWaitMs: errspec.statedWaitMs, disagreement: found, explained });
        // A difference nobody explained is a bug in the spec or in errspec.
        if (found !== null) expect(explained, `${found}; the spec explains nothing next to the entry`).not.toBeNull();
      });
    });
  }
}

describe('the explanations', () => {
  it('each sdk note still explains a difference some example shows', () => {
    for (const client of SDK_CLIENTS) {
      const provider = model!.providers.find((p) => p.id === client.provider)!;
      const noted = [
        ...provider.http.codes.filter((c) => c.sdk !== null).map((c) => `code ${c.code}`),
        ...provider.statuses.filter((s) => s.sdk !== null).map((s) => `status ${s.status}`),
        ...(provider.sdkElsewhere === null ? [] : ['elsewhere']),
      ];
      const needed = new Set(rows.filter((r) => r.provider === provider.id && r.disagreement !== null).map((r) => r.entry));
      expect(noted.filter((entry) => !needed.has(entry)), `${provider.id}: sdk notes no example needs`).toEqual([]);
    }
  });
});
