/**
 * `npm run bench`: the performance budgets of issue #3, measured against baselines in the same
 * run (alternating rounds, medians), printed as one table and written as JSON.
 *
 *   npm run bench                      # all sections
 *   npm run bench -- --compare FILE    # also show the change against an earlier results file
 *   npm run bench -- --out FILE        # where to write results (default bench-results/latest.json)
 *   npm run bench -- --only classifier # some sections only: classifier, hostile, validators, generator, package, executor, recovery, limiter, faults, install
 */
import { Ajv } from 'ajv';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { classifyByHand } from './baseline.js';
import { executorFigures } from './executor.js';
import { timeToSuccess } from './time-to-success.js';
import { limiterFigures } from './storm.js';
import { FAULT_NAMES, FAULTS, runFault } from '../limiter-faults.js';
import { startRedis } from '../redis-server.js';
import { compare, median, time, wall, type Comparison } from './measure.js';
import { writeSyntheticSpec } from './synth.js';
import { classifierBundleKiB, installFigures } from './install.js';
import { classifyException, classifyResponse, classifyTask, providerIds, retryDelayMs, type ProviderId } from '../../generated/index.js';
import { checkDir, SPEC_DIR } from '../helpers.js';
import { validateEvolinkHttpError } from '../../generated/evolink/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'errspec.js');
const { values: args } = parseArgs({ options: { compare: { type: 'string' }, out: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } } });

interface Row {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** What the value is measured against, when it is a ratio or has a budget. */
  note: string;
  budget?: { max: number; ok: boolean };
}
const rows: Row[] = [];
const record = (row: Omit<Row, 'budget'> & { max?: number }): void => {
  const { max, ...rest } = row;
  rows.push(max === undefined ? rest : { ...rest, budget: { max, ok: row.value <= max } });
  process.stderr.write(`  ${row.section}: ${row.name} ${format(row.value)} ${row.unit}\n`);
};
const format = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
/** The middle half of a comparison's per-round ratios. */
const ratioNote = (c: Comparison): string => `median of per-round ratios, middle half ${format(c.spread[0])}–${format(c.spread[1])}`;

// ---------------------------------------------------------------------------------------------
// 1. The classifier's hot path, on a mix of what callers pass: parsed bodies and raw text, plain
// header records and fetch Headers, declared and unknown codes, HTML and empty bodies.
type Case = [ProviderId, { status: number; headers: Record<string, string> | Headers; body: unknown }];
const parsedCases: Case[] = [
  ['evolink', { status: 400, headers: { 'content-type': 'application/json' }, body: { error: { code: 400, message: 'Invalid prompt parameter', type: 'invalid_request_error', param: 'prompt', fallback_suggestion: 'provide a valid prompt' } } }],
  ['ltx', { status: 429, headers: { 'retry-after': '12', 'x-request-id': 'req_1' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit exceeded' } } }],
  ['wubble', { status: 402, headers: {}, body: { success: false, data: null, error: { code: 'INSUFFICIENT_CREDITS', message: 'API call limit reached' } } }],
  ['foxapi', { status: 500, headers: { 'content-type': 'application/json' }, body: { error: { message: 'Server-side error', type: 'server_error' } } }],
  ['evolink', { status: 503, headers: {}, body: { error: { code: 503, message: 'busy', type: 'an_undocumented_type' } } }],
  ['ltx', { status: 502, headers: {}, body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } }],
];
const asText = ([p, r]: Case): Case => [p, { ...r, body: JSON.stringify(r.body) }];
const asHeaders = ([p, r]: Case): Case => [p, { ...r, headers: new Headers(r.headers as Record<string, string>) }];
const mixedCases: Case[] = [
  ...parsedCases,
  ...parsedCases.map(asText),
  ...parsedCases.slice(0, 3).map((c) => asHeaders(asText(c))),
  ['wubble', { status: 429, headers: { 'Retry-After': '20' }, body: JSON.stringify({ success: false, data: null, error: { code: 'RATE_LIMITED', message: 'Too many requests' } }) }],
  ['evolink', { status: 502, headers: new Headers({ 'content-type': 'text/html' }), body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' }],
  ['ltx', { status: 413, headers: {}, body: '' }],
];

function hotPath(): void {
  process.stderr.write('classifier\n');
  const mixed = compare(
    (i) => { const [p, r] = mixedCases[i % mixedCases.length]!; return classifyResponse(p, r); },
    (i) => { const [p, r] = mixedCases[i % mixedCases.length]!; return classifyByHand(p, r); },
  );
  record({ section: 'classifier', name: 'classifyResponse, mixed workload', value: mixed.candidate, unit: 'ns/op', note: `hand-written: ${format(mixed.baseline)} ns/op; ${mixedCases.length} cases` });
  record({ section: 'classifier', name: 'ratio to hand-written, mixed workload', value: mixed.ratio, unit: 'x', note: `${ratioNote(mixed)}; same work, same inputs; goal 1.10`, max: 1.25 });

  const parsed = compare(
    (i) => { const [p, r] = parsedCases[i % parsedCases.length]!; return classifyResponse(p, r); },
    (i) => { const [p, r] = parsedCases[i % parsedCases.length]!; return classifyByHand(p, r); },
  );
  record({ section: 'classifier', name: 'ratio to hand-written, parsed bodies only', value: parsed.ratio, unit: 'x', note: `${ratioNote(parsed)}; ${format(parsed.candidate)} vs ${format(parsed.baseline)} ns/op; goal 1.10`, max: 1.25 });

  const texts = parsedCases.map(asText);
  const raw = compare(
    (i) => { const [p, r] = texts[i % texts.length]!; return classifyResponse(p, r); },
    (i) => { const [p, r] = texts[i % texts.length]!; return classifyByHand(p, r); },
  );
  record({ section: 'classifier', name: 'ratio to hand-written, raw JSON text only', value: raw.ratio, unit: 'x', note: `${ratioNote(raw)}; ${format(raw.candidate)} vs ${format(raw.baseline)} ns/op` });

  const tasks = [
    { id: 't1', status: 'failed', error: { code: 'content_policy_violation', message: 'celebrity detected in image' } },
    { id: 't2', status: 'processing', progress: 40 },
    { id: 't3', status: 'failed', error: { code: 'resource_exhausted', message: 'Upstream resources temporarily depleted' } },
  ];
  record({ section: 'classifier', name: 'classifyTask', value: time((i) => classifyTask('evolink', tasks[i % 3])), unit: 'ns/op', note: 'failed and running tasks' });
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const aborted = new DOMException('aborted', 'AbortError');
  record({ section: 'classifier', name: 'classifyException', value: time((i) => classifyException(i & 1 ? refused : aborted, 'ltx')), unit: 'ns/op', note: 'fetch TypeError with cause; AbortError' });
  const error = classifyResponse('ltx', { status: 429, headers: { 'retry-after': '3' } });
  const options = { random: () => 0.5 };
  record({ section: 'classifier', name: 'retryDelayMs', value: time((i) => retryDelayMs(error, 1 + (i % 5), options)), unit: 'ns/op', note: 'rate limit with Retry-After' });
  perProvider();
}

/** classifyResponse on each provider's own HTTP examples (its envelopes, code places and sub-types), side by side. */
function perProvider(): void {
  const { model } = checkDir(SPEC_DIR);
  for (const provider of model!.providers) {
    const cases = provider.http.examples
      .filter((e) => e.status !== null)
      .map((e) => ({ status: e.status!, headers: e.headers, body: e.body }));
    if (cases.length === 0) continue;
    const id = provider.id as ProviderId;
    record({ section: 'classifier', name: `classifyResponse, ${id}'s examples`, value: time((i) => classifyResponse(id, cases[i % cases.length]!)), unit: 'ns/op', note: `${cases.length} examples, parsed bodies` });
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs must stay fast (issue #4): milliseconds per call, never more.
function hostile(): void {
  process.stderr.write('hostile inputs\n');
  const big = 'x'.repeat(5_000_000);
  const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
  const nested = '{"error":'.repeat(200_000) + '1' + '}'.repeat(200_000);
  const proxy = new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
  const cyclic: Record<string, unknown> = { error: { type: 'api_error', message: 'm' } };
  cyclic.self = cyclic;
  const cases: [string, () => unknown][] = [
    ['5 MB non-JSON body', () => classifyResponse('ltx', { status: 500, body: big })],
    ['5 MB message, sub-type scan', () => classifyTask('evolink', { id: 't', status: 'failed', error: { code: 'content_policy_violation', message: big } })],
    ['2 MB of nested arrays', () => classifyResponse('ltx', { status: 500, body: deep })],
    ['1.8 MB of nested objects', () => classifyResponse('ltx', { status: 500, body: nested })],
    ['proxy throwing on every trap', () => classifyResponse('ltx', { status: 500, body: proxy, headers: proxy as never })],
    ['cyclic body', () => classifyResponse('ltx', { status: 500, body: cyclic })],
  ];
  for (const [name, run] of cases) {
    const samples = Array.from({ length: args.quick ? 3 : 7 }, () => {
      const start = performance.now();
      run();
      return performance.now() - start;
    });
    record({ section: 'hostile', name, value: median(samples), unit: 'ms', note: 'median of single calls', max: 50 });
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Validators: the generated standalone code against ajv at run time.
function validators(): void {
  process.stderr.write('validators\n');
  const schema = JSON.parse(readFileSync(join(ROOT, 'generated', 'evolink', 'table.js'), 'utf8').match(/const schema\d+ = (\{.*\});/)![1]!);
  delete schema.$id;
  const compiled = new Ajv().compile(schema);
  const bodies = [parsedCases[0]![1].body, parsedCases[4]![1].body, { error: { code: '400', message: 'm', type: 't' } }];
  const warm = compare((i) => validateEvolinkHttpError(bodies[i % 3]), (i) => compiled(bodies[i % 3]));
  record({ section: 'validators', name: 'standalone vs ajv.compile, compiled once', value: warm.ratio, unit: 'x', note: `${format(warm.candidate)} vs ${format(warm.baseline)} ns/op` });
  const cold = compare((i) => validateEvolinkHttpError(bodies[i % 3]), (i) => new Ajv().compile(schema)(bodies[i % 3]), { iterations: 20, count: 9 });
  record({ section: 'validators', name: 'standalone vs ajv.compile, compile included', value: cold.baseline / cold.candidate, unit: 'x faster', note: `${format(cold.candidate)} ns vs ${format(cold.baseline / 1e6)} ms per validation` });
}

// ---------------------------------------------------------------------------------------------
// 3. The generator, as a user runs it.
function generator(): void {
  process.stderr.write('generator\n');
  const scratch = join(tmpdir(), `errspec-bench-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const runs = args.quick ? 3 : 5;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const node: number[] = [];
  const generate: number[] = [];
  const npmGenerate: number[] = [];
  const firstRun: number[] = [];
  // Every run after a project's first finds recheck's verdicts cached: a cache folder of the bench's own, warmed once.
  const cached = { CACHE_DIR: join(scratch, 'cache') };
  wall(process.execPath, [BIN, 'validate'], ROOT, cached);
  for (let r = 0; r < runs; r++) {
    node.push(wall(process.execPath, ['-e', ''], ROOT));
    generate.push(wall(process.execPath, [BIN, 'generate', '--out', join(scratch, `out-${r}`)], ROOT, cached));
    // An empty cache folder: recheck proves every regex of the spec again, as on a project's first run.
    firstRun.push(wall(process.execPath, [BIN, 'generate', '--out', join(scratch, `first-${r}`)], ROOT, { CACHE_DIR: join(scratch, `cache-${r}`) }));
    npmGenerate.push(wall(npm, ['run', '-s', 'generate', '--', '--out', join(scratch, `npm-${r}`)], ROOT, cached));
  }
  record({ section: 'generator', name: 'cold npm run generate (shipped spec)', value: median(npmGenerate), unit: 'ms', note: 'regex verdicts cached; goal 1000 ms', max: 1500 });
  record({ section: 'generator', name: 'cold errspec generate (shipped spec)', value: median(generate), unit: 'ms', note: `regex verdicts cached; empty node process: ${format(median(node))} ms` });
  record({ section: 'generator', name: 'cold errspec generate, no regex verdict cached yet', value: median(firstRun), unit: 'ms', note: "a project's first run: recheck proves every regex of the spec" });

  const sizes = [100, 1000, 10000];
  const times = new Map<number, number>();
  for (const codes of sizes) {
    const spec = join(scratch, `spec-${codes}`);
    writeSyntheticSpec(spec, codes, join(ROOT, 'spec', 'taxonomy.yaml'));
    const samples = Array.from({ length: codes === 10000 ? 1 : 3 }, (_, r) => wall(process.execPath, [BIN, 'generate', '--spec', spec, '--out', join(scratch, `synth-${codes}-${r}`)], spec));
    times.set(codes, median(samples));
    record({ section: 'generator', name: `synthetic spec, ${codes} codes`, value: median(samples), unit: 'ms', note: codes === 10000 ? 'budget 10 s' : '', ...(codes === 10000 ? { max: 10_000 } : {}) });
  }
  record({ section: 'generator', name: 'growth 10k ÷ 1k codes', value: times.get(10000)! / times.get(1000)!, unit: 'x', note: 'linear would be 10x', max: 12 });
  rmSync(scratch, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// 4. The package: cold import cost and size.
function imports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) {
    imports(join(dirname(file), spec!), seen);
  }
  return seen;
}

function pkg(): void {
  process.stderr.write('package\n');
  const dir = join(tmpdir(), `errspec-bench-import-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'empty.mjs'), 'export {};\n');
  const root = join(ROOT, 'generated', 'index.js');
  const measureImport = (target: string): number => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(target)}); console.log(performance.now() - t);`]);
    return Number(out.toString());
  };
  // The root, and two providers' entries (ltx's table is among the smallest, gemini's among the largest): an app that needs one provider imports its entry.
  const targets = [root, join(ROOT, 'generated', 'ltx', 'index.js'), join(ROOT, 'generated', 'gemini', 'index.js'), join(dir, 'empty.mjs')];
  const times = targets.map((): number[] => []);
  for (let r = 0; r < (args.quick ? 7 : 15); r++) targets.forEach((target, i) => times[i]!.push(measureImport(target)));
  rmSync(dir, { recursive: true, force: true });
  const [rootMs, ltxMs, geminiMs, emptyMs] = times.map(median) as [number, number, number, number];
  record({ section: 'package', name: 'cold import of the root entry, over an empty module', value: rootMs - emptyMs, unit: 'ms', note: `root ${format(rootMs)} ms, empty ${format(emptyMs)} ms; ${providerIds.length} providers; goal 4`, max: 6 });
  record({ section: 'package', name: "cold import of one provider's entry (ltx / gemini), over an empty module", value: ltxMs - emptyMs, unit: 'ms', note: `gemini ${format(geminiMs - emptyMs)} ms` });
  const gzipOf = (entry: string): number => gzipSync(Buffer.concat([...imports(entry)].map((f) => readFileSync(f)))).length / 1024;
  record({ section: 'package', name: 'gzip size, root entry and all it imports', value: gzipOf(root), unit: 'KiB', note: '' });
  for (const provider of providerIds) {
    record({ section: 'package', name: `gzip size, ${provider} entry and all it imports`, value: gzipOf(join(ROOT, 'generated', provider, 'index.js')), unit: 'KiB', note: '' });
  }
}

// ---------------------------------------------------------------------------------------------
// 5. The executor against local servers (issue #9).
async function executor(): Promise<void> {
  process.stderr.write('executor\n');
  const { overhead, polls } = await executorFigures(args.quick ?? false);
  record({ section: 'executor', name: 'fetchWithRetry vs bare fetch, successful GETs', value: overhead.ratio, unit: 'x', note: `${format(overhead.retryUs)} vs ${format(overhead.fetchUs)} µs per request, keep-alive`, max: 1.05 });
  record({ section: 'executor', name: `heap per poll, ${polls.count} polls waiting at once`, value: polls.heapPerPollKiB, unit: 'KiB', note: 'aim < 4; default timers, after a full collection', max: 4 });
  record({ section: 'executor', name: `timers left once ${polls.count} polls at 100 ms settle`, value: polls.timersLeft, unit: '', note: `20 status requests each, in ${format(polls.ms)} ms`, max: 0 });
  record({ section: 'executor', name: 'listeners left on the signal they shared', value: polls.listenersLeft, unit: '', note: '', max: 0 });
}

// ---------------------------------------------------------------------------------------------
// 5b. Time to success under faults (issue #19): scripted failures, beside the waits the server stated.
async function recovery(): Promise<void> {
  process.stderr.write('recovery\n');
  for (const r of await timeToSuccess()) {
    record({
      section: 'recovery',
      name: r.name,
      value: r.ms,
      unit: 'ms',
      note: `${r.outcome}; ideal ${format(r.idealMs)} ms${r.idealMs > 0 ? ` (${format(r.ms / r.idealMs)}x)` : ''}, ${r.stated ? "the server's stated waits" : r.expected !== 'ok' ? 'giving up at once' : r.idealMs > 0 ? 'the documented minimum waits' : 'no wait stated anywhere'}; ${r.requests} requests; waits ${r.waits.map((w) => format(w)).join(', ') || 'none'}`,
      // A wait the server states is the wait, plus at most 10 % of jitter and the round trips.
      ...(r.stated ? { max: Math.round(r.idealMs * 1.15) } : {}),
    });
    record({ section: 'recovery', name: `${r.name}: ended otherwise than expected`, value: r.outcome === r.expected ? 0 : 1, unit: '', note: `expected ${r.expected}`, max: 0 });
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Shared limits (issue #11): the storm five ways, and what a permit costs on Redis.
async function limiter(): Promise<void> {
  process.stderr.write('limiter\n');
  const { storms, permitUs, pingUs } = await limiterFigures(args.quick ?? false);
  for (const s of storms) {
    const limited = s.way !== 'no limiter';
    record({ section: 'limiter', name: `storm, ${s.way}: completion ÷ ideal`, value: s.seconds / s.ideal, unit: 'x', note: `${s.jobs} jobs; ${format(s.seconds)} s vs ${format(s.ideal)} s; ${s.completed} completed${limited ? '; goal 1.15' : ''}`, ...(s.way === 'in-process limiter, waits time-scaled' ? { max: 1.15 } : {}) });
    record({ section: 'limiter', name: `storm, ${s.way}: 429s per job`, value: s.tooManyPerJob, unit: '', note: limited ? 'goal 0.05' : '', ...(limited ? { max: 0.05 } : {}) });
    record({ section: 'limiter', name: `storm, ${s.way}: jobs lost`, value: s.lost, unit: '', note: '', max: 0 });
    record({ section: 'limiter', name: `storm, ${s.way}: jobs submitted twice with no proof the first was unprocessed`, value: s.doubleSubmits, unit: '', note: '', max: 0 });
  }
  record({ section: 'limiter', name: 'acquire + release of a permit on Redis, over a bare round trip', value: permitUs / pingUs, unit: 'x', note: `${format(permitUs)} vs ${format(pingUs)} µs (PING), sequential` });
}

// ---------------------------------------------------------------------------------------------
// 7. The limiter under faults (issue #15): each fault staged with worker processes and a real
// redis-server (test/limiter-faults.ts), beside in-process limiters (one per worker, nothing shared).
async function faults(): Promise<void> {
  process.stderr.write('faults\n');
  const redis = await startRedis();
  try {
    for (const fault of FAULTS) {
      for (const store of ['redis', 'local'] as const) {
        const f = await runFault(fault, store, redis);
        const who = store === 'redis' ? 'Redis limiter' : 'in-process limiters';
        const gaveUp = Object.entries(f.gaveUp).map(([why, n]) => `${n} ${why}`).join(', ') || 'none';
        const leases = Object.entries(f.leases).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
        // A holder cut off past its lease is, to the store, dead: one over the limit is what that costs.
        const peakBudget = store === 'redis' && fault !== 'partition' ? { max: 2 } : {};
        record({ section: 'faults', name: `${fault}, ${who}: peak generations at once`, value: f.peak, unit: '', note: `${FAULT_NAMES[fault]}; limit 2; ${f.jobs} jobs; 429s ${f.tooMany} (${f.tooManyAfter} after it ended); gave up: ${gaveUp}; leases: ${leases}`, ...peakBudget });
        record({ section: 'faults', name: `${fault}, ${who}: jobs lost or sent twice`, value: f.lost + f.duplicated, unit: '', note: `lost ${f.lost}, sent twice ${f.duplicated}`, max: 0 });
        record({ section: 'faults', name: `${fault}, ${who}: longest idle while jobs waited`, value: f.idleMs, unit: 'ms', note: 'the account below its limit after the fault: what the fault cost' });
      }
    }
  } finally {
    await redis.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 8. Installed: errspec as a package in another project, and a browser bundle of one classifier.
async function install(): Promise<void> {
  process.stderr.write('install\n');
  const f = installFigures(ROOT, args.quick ? 3 : 5);
  record({ section: 'install', name: 'npm pack tarball', value: f.tarballKiB, unit: 'KiB', note: `${format(f.unpackedKiB)} KiB unpacked` });
  record({ section: 'install', name: 'node_modules with only errspec installed', value: f.installedMiB, unit: 'MiB', note: "errspec's dependencies, none of its devDependencies" });
  record({ section: 'install', name: 'cold errspec generate, installed (shipped spec)', value: f.generateMs, unit: 'ms', note: `regex verdicts cached; empty node process: ${format(f.nodeMs)} ms; compiled JavaScript, no tsx` });
  for (const provider of providerIds) {
    const bundle = await classifierBundleKiB(join(ROOT, 'generated', provider, 'index.js'));
    record({ section: 'install', name: `browser bundle of ${provider}'s classifyResponse, min+gzip`, value: bundle.gzipKiB, unit: 'KiB', note: `esbuild; goal 6; Node built-ins imported: ${bundle.nodeImports}`, max: 10 });
  }
}

const sections: Record<string, () => void | Promise<void>> = { classifier: hotPath, hostile, validators, generator, package: pkg, executor, recovery, limiter, faults, install };
const only = args.only?.split(',') ?? Object.keys(sections);
for (const name of only) {
  const run = sections[name];
  if (!run) throw new Error(`unknown section ${name}; choose among ${Object.keys(sections).join(', ')}`);
  await run();
}

// ---------------------------------------------------------------------------------------------
const previous: Row[] | null = args.compare ? (JSON.parse(readFileSync(args.compare, 'utf8')) as { rows: Row[] }).rows : null;
const widths = [12, 52, 10, 10, 8];
const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(line(['section', 'measure', 'value', 'unit', 'budget']) + '  notes');
for (const row of rows) {
  const before = previous?.find((p) => p.section === row.section && p.name === row.name);
  const budget = row.budget ? `${row.budget.ok ? 'ok' : 'MISSED'} ≤${row.budget.max}` : '';
  const change = before ? ` (was ${format(before.value)})` : '';
  console.log(line([row.section, row.name, format(row.value), row.unit, budget]) + `  ${row.note}${change}`);
}
const missed = rows.filter((r) => r.budget && !r.budget.ok);
console.log(missed.length === 0 ? '\nevery budget holds' : `\n${missed.length} budget(s) missed: ${missed.map((r) => r.name).join('; ')}`);

const out = args.out ?? join(ROOT, 'bench-results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n');
console.log(`results written to ${out}`);
