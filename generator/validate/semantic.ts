/**
 * Stage 2b, semantic checks: what a JSON Schema cannot say. They run on every file, valid or not,
 * so one run reports every problem: each check covers one part of a file (a code, a status, an
 * example) and is skipped where the schema already found that part malformed.
 */
import { HEADER_NAME, namesRead, parsePlace } from '../field-path.js';
import { Ajv } from 'ajv';
import { CONTRACT_ACTIONS, CONTRACT_CATEGORIES, FIRST_FAILURE_STATUS, RESERVED_PROVIDER_IDS } from '../contract.js';
import { pascal } from '../emit/names.js';
import { closest } from '../suggest.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { baseName, fileStem, type LoadedFile } from '../load.js';
import { STATUS_CLASSES, type CodeSpec, type ConditionSpec, type ExampleSpec, type FieldsSpec, type ProviderSpec, type SoftFailureSpec, type TaskFieldsSpec, type TaxonomySpec, type WaitPlaceSpec } from '../spec.js';
import { ENVELOPE_FLAGS, patternProblem, SUBTYPE_FLAGS, WAIT_PATTERN_FLAGS, type PatternProblem } from './regex.js';
import { subschemas } from './subschemas.js';

type Path = readonly (string | number)[];

/** What the schema allows as a provider id. */
const PROVIDER_ID = /^[a-z][a-z0-9_]*$/;

/**
 * Names a plain property read would find on any object, and `length`, which strings and arrays
 * answer with a number; field paths may not use them. (Other members of those prototypes are
 * functions, which no field accepts.)
 */
const PROTOTYPE_MEMBERS = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'length']);

/** Reports problems at positions in one file, and runs checks only on well-formed parts. */
class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  /** `malformed`: JSON pointers of the parts the schema rejected. */
  constructor(
    readonly file: LoadedFile,
    private readonly malformed: readonly string[] = [],
  ) {}

  at(path: Path, message: string, where: 'value' | 'key' = 'value'): void {
    const at = this.file.locate(path, where);
    this.diagnostics.push(diagnostic(at, 'semantic', message, this.file.sourceLine(at)));
  }

  /** Runs `check` on the part at `path`, unless the schema found a problem in, or around, it. */
  within(path: Path, check: () => void): void {
    const pointer = path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const clashes = (bad: string): boolean => bad === pointer || bad.startsWith(pointer + '/') || pointer.startsWith(bad + '/') || bad === '';
    if (this.malformed.some(clashes)) return;
    try {
      check();
    } catch {
      // A shape no schema error pinned down; the schema's own diagnostics describe the file.
    }
  }
}

/** Entries of a map-shaped value; nothing for anything else. */
function entriesOf<T>(value: Readonly<Record<string, T>> | undefined): [string, T][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/** Items of an array-shaped value; nothing for anything else. */
function itemsOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

export function checkTaxonomy(file: LoadedFile, malformed: readonly string[] = []): Diagnostic[] {
  const report = new Reporter(file, malformed);
  const taxonomy = file.value as TaxonomySpec;
  const categories = new Set(entriesOf(taxonomy.categories).map(([name]) => name));
  const actions = new Set(entriesOf(taxonomy.actions).map(([name]) => name));

  report.within(['categories'], () => {
    for (const name of CONTRACT_CATEGORIES) {
      if (!categories.has(name)) report.at(['categories'], `category "${name}" is required by the contract`, 'key');
    }
  });
  report.within(['actions'], () => {
    for (const name of CONTRACT_ACTIONS) {
      if (!actions.has(name)) report.at(['actions'], `action "${name}" is required by the contract`, 'key');
    }
  });
  for (const [name, category] of entriesOf(taxonomy.categories)) {
    report.within(['categories', name, 'action'], () => {
      if (!actions.has(category.action)) report.at(['categories', name, 'action'], unknownName('action', category.action, actions));
    });
  }
  const checkCategory = (path: Path, value: string): void =>
    report.within(path, () => {
      if (!categories.has(value)) report.at(path, unknownName('category', value, categories));
    });
  for (const [status, category] of entriesOf(taxonomy.statusFallback?.exact)) {
    checkStatus(report, ['statusFallback', 'exact', status], Number(status), 'key');
    checkCategory(['statusFallback', 'exact', status], category);
  }
  for (const [range, category] of entriesOf(taxonomy.statusFallback?.ranges)) checkCategory(['statusFallback', 'ranges', range], category);
  if (taxonomy.statusFallback?.otherwise !== undefined) checkCategory(['statusFallback', 'otherwise'], taxonomy.statusFallback.otherwise);
  const networkKeys = new Set([...entriesOf(taxonomy.network?.codes), ...entriesOf(taxonomy.network?.names)].map(([key]) => key));
  itemsOf(taxonomy.network?.unprocessed).forEach((key, i) =>
    report.within(['network', 'unprocessed', i], () => {
      if (!networkKeys.has(key)) report.at(['network', 'unprocessed', i], `${unknownName('network code or name', key, networkKeys)}; list it under codes or names first`);
    }),
  );
  for (const [code, category] of entriesOf(taxonomy.network?.codes)) checkCategory(['network', 'codes', code], category);
  for (const [name, category] of entriesOf(taxonomy.network?.names)) checkCategory(['network', 'names', name], category);
  itemsOf(taxonomy.network?.messages).forEach((m, i) => checkCategory(['network', 'messages', i, 'category'], m.category));
  return report.diagnostics;
}

/** Compiles an envelope schema, throwing when it is invalid; one per run, shared by all files. */
export type EnvelopeCompiler = (schema: Readonly<Record<string, unknown>>) => void;

export function createEnvelopeCompiler(): EnvelopeCompiler {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false, addUsedSchema: false });
  return (schema) => {
    ajv.compile(schema);
  };
}

/** `taxonomy` is null when the taxonomy itself is invalid; references are then not checked. */
export function checkProvider(
  file: LoadedFile,
  taxonomy: TaxonomySpec | null,
  compileEnvelope: EnvelopeCompiler,
  malformed: readonly string[] = [],
): Diagnostic[] {
  const report = new Reporter(file, malformed);
  const spec = file.value as ProviderSpec;
  const categories = taxonomy ? new Set(Object.keys(taxonomy.categories)) : null;
  const actions = taxonomy ? new Set(Object.keys(taxonomy.actions)) : null;
  const sources = new Set(entriesOf(spec.sources).map(([key]) => key));

  report.within(['provider'], () => {
    if ((RESERVED_PROVIDER_IDS as readonly string[]).includes(spec.provider)) {
      report.at(['provider'], `"${spec.provider}" is reserved for a file of the generated package; choose another id`);
    }
    const stem = fileStem(file.path);
    if (spec.provider !== stem) {
      // Only a file name that is itself a valid id can be offered as the id.
      const or = PROVIDER_ID.test(stem) ? `, or set provider: ${stem}` : '';
      report.at(['provider'], `provider id "${spec.provider}" does not match the file name ${baseName(file.path)}; rename the file to ${spec.provider}.yaml${or}`);
    }
  });

  const checkOutcome = (path: Path, outcome: { category?: string; action?: string }): void => {
    if (categories && outcome.category !== undefined && !categories.has(outcome.category)) {
      report.at([...path, 'category'], unknownName('category', outcome.category, categories));
    }
    if (actions && outcome.action !== undefined && !actions.has(outcome.action)) {
      report.at([...path, 'action'], unknownName('action', outcome.action, actions));
    }
  };
  const checkSource = (path: Path, source: string | undefined): void => {
    if (source !== undefined && !sources.has(source)) report.at([...path, 'source'], unknownName('source', source, sources));
  };
  const checkExamples = (path: Path, examples: readonly ExampleSpec[] | undefined, layer: 'http' | 'task'): void => {
    itemsOf(examples).forEach((example, i) => {
      const at = [...path, 'examples', i];
      report.within(at, () => {
        if (layer === 'http' && example.status === undefined) report.at(at, 'an http example needs a status');
        if (example.status !== undefined) checkStatus(report, [...at, 'status'], example.status);
        if (example.body !== undefined && example.text !== undefined) report.at(at, 'give either body or text, not both');
        if (layer === 'http' && example.expect === null && (example.status === undefined || example.status < 200 || example.status > 299)) {
          report.at([...at, 'expect'], 'a failed response always classifies; expect may be null only for a 2xx response that carries no failure');
        }
        if (example.expect) checkOutcome([...at, 'expect'], example.expect);
      });
    });
  };
  const checkCodes = (path: Path, codes: Readonly<Record<string, CodeSpec>> | undefined, layer: 'http' | 'task'): void => {
    for (const [code, entry] of entriesOf(codes)) {
      const at = [...path, code];
      report.within(at, () => {
        if (misplacedStar(code)) {
          report.at(at, `code "${code}": a * may only end a prefix of dotted codes (SAFETY.INPUT.* takes every code that starts with SAFETY.INPUT.)`, 'key');
        }
        checkOutcome(at, entry);
        checkSource(at, entry.source);
        if (entry.status !== undefined) checkStatus(report, [...at, 'status'], entry.status);
        const ids = new Set<string>();
        itemsOf(entry.subtypes).forEach((subtype, i) => {
          const subAt = [...at, 'subtypes', i];
          if (ids.has(subtype.id)) report.at([...subAt, 'id'], `duplicate sub-type "${subtype.id}" in code "${code}"`);
          ids.add(subtype.id);
          checkOutcome(subAt, subtype);
          if (subtype.regex !== undefined) {
            const problem = patternProblem(subtype.regex, SUBTYPE_FLAGS);
            if (problem) report.at([...subAt, 'regex'], describePattern(problem, 'use substrings (contains), or a regex that cannot backtrack'));
          }
        });
      });
      checkExamples(at, entry.examples, layer);
    }
  };

  /**
   * Every path into a body must parse, and avoid names that every object has; where `headers` says
   * so, a place may be a response header (`header:X-Request-Id`) instead.
   */
  const checkPaths = (at: Path, value: string | readonly string[] | undefined, headers = false): void => {
    const paths: [Path, string][] = value === undefined ? [] : Array.isArray(value) ? value.map((p: string, i) => [[...at, i], p]) : [[at, value as string]];
    for (const [where, text] of paths) {
      report.within(where, () => {
        if (text.startsWith('header:') && !headers) return report.at(where, `"${text}": only a code, a request id, a stated wait and a soft failure's condition may be read from a header`);
        const parsed = parsePlace(text);
        if ('problem' in parsed) return report.at(where, `${text.startsWith('header:') ? 'header' : 'field path'} "${text}" cannot be read: ${parsed.problem}`);
        if ('header' in parsed.place) return;
        const member = namesRead(parsed.place.path).find((name) => PROTOTYPE_MEMBERS.has(name));
        if (member) report.at(where, `field path "${text}" names "${member}", which every object, string or array has; rename the path`);
      });
    }
  };
  /** Places a wait is stated (`retryAfter`, `poll.after`): headers allowed, patterns proven linear. */
  const checkWaitPlaces = (path: Path, places: readonly WaitPlaceSpec[] | undefined): void => {
    itemsOf(places).forEach((wait, i) => {
      const at = [...path, i];
      report.within(at, () => {
        checkPaths([...at, 'at'], wait.at, true);
        if (wait.pattern !== undefined) {
          const problem = patternProblem(wait.pattern, WAIT_PATTERN_FLAGS);
          if (problem) report.at([...at, 'pattern'], describePattern(problem, 'use a regex that cannot backtrack, such as one anchored to the words before the wait'));
        }
      });
    });
  };
  /**
   * Soft failures: each condition's place readable and one test only; the code, or every value a
   * code-less rule can read, declared in the layer's codes.
   */
  const checkSoftFailures = (layer: 'http' | 'task', rules: readonly SoftFailureSpec[] | undefined, codes: ReadonlySet<string>): void => {
    itemsOf(rules).forEach((rule, i) => {
      const at = ['layers', layer, 'softFailures', i];
      report.within(at, () => {
        const conditions: [Path, ConditionSpec][] = Array.isArray(rule.when) ? rule.when.map((c: ConditionSpec, j) => [[...at, 'when', j], c]) : [[[...at, 'when'], rule.when as ConditionSpec]];
        for (const [where, condition] of conditions) {
          checkPaths([...where, 'at'], condition.at, true);
          const tests = (['is', 'above', 'empty'] as const).filter((test) => condition[test] !== undefined);
          if (tests.length !== 1) report.at(where, `a condition tests its value one way: give exactly one of is, above, empty${tests.length > 1 ? ` (it gives ${tests.join(', ')})` : ''}`);
        }
        checkPaths([...at, 'message'], rule.message);
        checkSource(at, rule.source);
        const undeclared = (code: string): string => unknownName(`${layer} code`, code, codes);
        if (rule.code !== undefined) {
          if (!codes.has(rule.code)) report.at([...at, 'code'], undeclared(rule.code));
          return;
        }
        const [firstAt, first] = conditions[0] ?? [at, undefined];
        if (first?.is === undefined) return report.at(at, 'give the code this failure is, or make the first condition an `is` list whose values are declared codes (finishReason: SAFETY is the code SAFETY)');
        first.is.forEach((value, j) => {
          if (!codes.has(String(value))) report.at([...firstAt, 'is', j], `${undeclared(String(value))}; without a code of its own, the rule's value is the code`);
        });
      });
    });
  };
  const checkFields = (layer: 'http' | 'task', fields: FieldsSpec | TaskFieldsSpec): void => {
    for (const [key, value] of entriesOf(fields as unknown as Readonly<Record<string, string | readonly string[]>>)) {
      checkPaths(['layers', layer, 'fields', key], value, layer === 'http' && (key === 'code' || key === 'requestId'));
    }
  };

  report.within(['sending'], () => {
    checkSource(['sending', 'idempotencyHeader'], spec.sending?.idempotencyHeader?.source);
    checkSource(['sending', 'concurrency'], spec.sending?.concurrency?.source);
    const sent = new Map<string, number>();
    const key = spec.sending?.idempotencyHeader?.name?.toLowerCase();
    itemsOf(spec.sending?.headers).forEach((header, i) => {
      const at = ['sending', 'headers', i];
      report.within(at, () => {
        checkSource(at, header.source);
        const name = header.name.toLowerCase();
        const first = sent.get(name);
        if (first !== undefined) report.at([...at, 'name'], `header "${header.name}" is already sent (headers[${first}]); list each header once`);
        else if (name === key) report.at([...at, 'name'], `"${header.name}" is the idempotency header, whose value is a key of each call's own`);
        else if (RESERVED_REQUEST_HEADERS.has(name)) report.at([...at, 'name'], `"${header.name}" is set by fetch itself, or is the caller's (credentials, content): not a fact of the spec`);
        sent.set(name, first ?? i);
        // fetch rejects a value with a line break or a control character; leading and trailing blanks are trimmed.
        if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(header.value)) report.at([...at, 'value'], `the value of "${header.name}" holds a line break or a control character, which no request may carry`);
      });
    });
  });

  const http = spec.layers?.http;
  if (http) {
    report.within(['layers', 'http', 'fields'], () => checkFields('http', http.fields));
    checkCodes(['layers', 'http', 'codes'], http.codes, 'http');
    for (const [status, entry] of entriesOf(http.statuses)) {
      const at = ['layers', 'http', 'statuses', status];
      checkStatus(report, at, Number(status), 'key');
      report.within(at, () => {
        if (entry.code !== undefined && !Object.prototype.hasOwnProperty.call(http.codes ?? {}, entry.code)) {
          report.at([...at, 'code'], unknownName('http code', entry.code, new Set(entriesOf(http.codes).map(([c]) => c))));
        }
        checkOutcome(at, entry);
        checkSource(at, entry.source);
      });
    }
    checkStatusOwners(report, http);
    checkWaitPlaces(['layers', 'http', 'retryAfter'], http.retryAfter);
    itemsOf(http.verdicts).forEach((verdict, i) => {
      const at = ['layers', 'http', 'verdicts', i];
      report.within(at, () => {
        if (!HEADER_NAME.test(verdict.header)) report.at([...at, 'header'], `"${verdict.header}" is not a header name`);
        checkSource(at, verdict.source);
        const seen = new Set<string>();
        for (const [value, decides] of entriesOf(verdict.values)) {
          const key = value.trim().toLowerCase();
          if (seen.has(key)) report.at([...at, 'values', value], `the value "${value}" is listed twice (values match in any case)`, 'key');
          seen.add(key);
          checkOutcome([...at, 'values', value], decides);
        }
      });
    });
    checkSoftFailures('http', http.softFailures, new Set(entriesOf(http.codes).map(([code]) => code)));
    checkExamples(['layers', 'http'], http.examples, 'http');
    report.within(['layers', 'http', 'envelope'], () => checkEnvelope(report, ['layers', 'http', 'envelope'], http.envelope, compileEnvelope));
  }

  const task = spec.layers?.task;
  if (task) {
    report.within(['layers', 'task', 'fields'], () => checkFields('task', task.fields));
    report.within(['layers', 'task', 'status', 'field'], () => checkPaths(['layers', 'task', 'status', 'field'], task.status.field));
    report.within(['layers', 'task', 'submit'], () => {
      checkPaths(['layers', 'task', 'submit', 'taskId'], task.submit.taskId);
      checkSource(['layers', 'task', 'submit'], task.submit.source);
    });
    report.within(['layers', 'task', 'poll'], () => {
      const { poll } = task;
      checkPaths(['layers', 'task', 'poll', 'eta'], poll.eta);
      checkWaitPlaces(['layers', 'task', 'poll', 'after'], poll.after);
      checkSource(['layers', 'task', 'poll'], poll.source);
      if (poll.maxIntervalMs !== undefined && poll.maxIntervalMs < poll.intervalMs) {
        report.at(['layers', 'task', 'poll', 'maxIntervalMs'], `maxIntervalMs (${poll.maxIntervalMs} ms) is below intervalMs (${poll.intervalMs} ms)`);
      }
      if (poll.timeoutMs < poll.intervalMs) report.at(['layers', 'task', 'poll', 'timeoutMs'], `timeoutMs (${poll.timeoutMs} ms) is below intervalMs (${poll.intervalMs} ms): no status request would be sent`);
    });
    checkCodes(['layers', 'task', 'codes'], task.codes, 'task');
    checkSoftFailures('task', task.softFailures, new Set(entriesOf(task.codesFrom === 'http' ? spec.layers.http?.codes : task.codes).map(([code]) => code)));
    if (task.result !== undefined) {
      report.within(['layers', 'task', 'result'], () => {
        checkPaths(['layers', 'task', 'result', 'url'], task.result!.url);
        checkSource(['layers', 'task', 'result'], task.result!.source);
      });
    }
    checkExamples(['layers', 'task'], task.examples, 'task');
    report.within(['layers', 'task', 'envelope'], () => checkEnvelope(report, ['layers', 'task', 'envelope'], task.envelope, compileEnvelope));
    report.within(['layers', 'task', 'status'], () => {
      // Values match as text: true and "true" are one status.
      const owner = new Map<string, string>();
      for (const state of STATUS_CLASSES) {
        itemsOf(task.status[state]).forEach((value, i) => {
          const previous = owner.get(String(value));
          if (previous) report.at(['layers', 'task', 'status', state, i], `status "${String(value)}" is already listed under ${previous}`);
          owner.set(String(value), state);
        });
      }
      const { absent } = task.status;
      if (absent !== undefined && !owner.has(String(absent))) {
        report.at(['layers', 'task', 'status', 'absent'], `absent: "${String(absent)}" is listed under no class; list it (Google's done: false under running)`);
      }
      if (owner.size === 0 && entriesOf(task.status.http).length === 0) report.at(['layers', 'task', 'status'], 'no status value is listed: list at least the failed or ended ones');
      for (const [status] of entriesOf(task.status.http)) {
        if (Number(status) < 200 || Number(status) > 299) report.at(['layers', 'task', 'status', 'http', status], `status ${status}: only a 2xx answer is read as a task body; a failed status request is classified as the HTTP failure it is`, 'key');
      }
    });
  }
  return report.diagnostics;
}

/** Request headers fetch sets itself, or that belong to the caller (credentials, content), never to a spec. */
const RESERVED_REQUEST_HEADERS = new Set(['authorization', 'content-length', 'content-type', 'cookie', 'host', 'connection', 'transfer-encoding', 'proxy-authorization']);

/**
 * Checks across files: ids and type names must be unique in the generated package. A file whose
 * id does not match its name is already reported, so it takes no id here.
 */
export function checkAcrossProviders(files: readonly LoadedFile[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ids = new Map<string, LoadedFile>();
  const titles: { title: string; file: LoadedFile; layer: 'http' | 'task'; id: string | null }[] = [];
  for (const file of files) {
    const report = new Reporter(file);
    const spec = file.value as Partial<ProviderSpec>;
    const id = typeof spec.provider === 'string' && spec.provider === fileStem(file.path) ? spec.provider : null;
    if (id !== null) {
      const first = ids.get(id);
      if (first) report.at(['provider'], `provider id "${id}" is already used by ${first.path}`);
      else ids.set(id, file);
    }
    for (const layer of ['http', 'task'] as const) {
      const title: unknown = spec.layers?.[layer]?.envelope?.title;
      if (typeof title === 'string') titles.push({ title, file, layer, id });
    }
    diagnostics.push(...report.diagnostics);
  }
  const byTitle = new Map<string, typeof titles>();
  for (const entry of titles) byTitle.set(entry.title, [...(byTitle.get(entry.title) ?? []), entry]);
  for (const [title, owners] of byTitle) {
    if (owners.length < 2) continue;
    const original = originalOf(title, owners);
    const at = original.file.locate(['layers', original.layer, 'envelope', 'title']);
    for (const copy of owners.filter((o) => o !== original)) {
      const rename = copy.id === null || copy.file === original.file ? '' : `, e.g. to "${renamed(title, original.id, copy.id)}"`;
      const report = new Reporter(copy.file);
      report.at(
        ['layers', copy.layer, 'envelope', 'title'],
        `envelope title "${title}" is already taken (first declared at ${at.file}:${at.line}:${at.col}); titles become TypeScript type names, so rename this one${rename}`,
      );
      diagnostics.push(...report.diagnostics);
    }
  }
  return diagnostics;
}

/**
 * Which of several declarations of one title came first, so that the others are the ones to rename:
 * the one whose provider the title names (EvolinkHttpError in evolink.yaml); else the file changed
 * longest ago, when it is clearly older than the rest (a copy just made is newer than its
 * original); else the first in file order.
 */
function originalOf<T extends { file: LoadedFile; id: string | null }>(title: string, owners: readonly T[]): T {
  const named = owners.find((o) => o.id !== null && title.startsWith(pascal(o.id)));
  if (named) return named;
  const times = owners.map((o) => o.file.modifiedMs ?? Number.NaN);
  const oldest = Math.min(...times);
  const clearly = times.filter((t) => t - oldest < CLEARLY_OLDER_MS).length === 1;
  return clearly ? owners[times.indexOf(oldest)]! : owners[0]!;
}

/** Files checked out or copied together differ by less than this. */
const CLEARLY_OLDER_MS = 2_000;

/** The title with the original provider's name swapped for the copy's: EvolinkHttpError → AcmeHttpError. */
function renamed(title: string, originalId: string | null, copyId: string): string {
  const prefix = originalId === null ? '' : pascal(originalId);
  return prefix !== '' && title.startsWith(prefix) ? pascal(copyId) + title.slice(prefix.length) : `${pascal(copyId)}${title}`;
}

/**
 * A code's failure `status` also tells what a response with that status and no known code means,
 * unless `statuses` says otherwise; when several codes share a status, `statuses` must pick one.
 */
function checkStatusOwners(report: Reporter, http: ProviderSpec['layers']['http']): void {
  const explicit = new Set(entriesOf(http.statuses).map(([status]) => Number(status)));
  const owners = new Map<number, string[]>();
  for (const [code, entry] of entriesOf(http.codes)) {
    const status = entry?.status;
    if (typeof status === 'number' && status >= FIRST_FAILURE_STATUS && !explicit.has(status)) owners.set(status, [...(owners.get(status) ?? []), code]);
  }
  for (const [status, codes] of owners) {
    if (codes.length < 2) continue;
    const path = ['layers', 'http', 'codes', codes[1] as string, 'status'];
    report.within(path, () =>
      report.at(
        path,
        `status ${status} is declared by ${codes.map((c) => `"${c}"`).join(' and ')}; add statuses: { ${status}: { code: ${codes[0]} } } (or the code a bare ${status} means)`,
      ),
    );
  }
}

function checkStatus(report: Reporter, path: Path, status: number, where: 'value' | 'key' = 'value'): void {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    report.at(path, `HTTP status ${status} is outside 100-599`, where);
  }
}

/** Envelopes become standalone validators and types: they must compile, and need no ajv runtime. */
function checkEnvelope(report: Reporter, path: Path, envelope: Readonly<Record<string, unknown>>, compile: EnvelopeCompiler): void {
  let usable = true;
  for (const [at, schema] of subschemas(envelope)) {
    if ('format' in schema) {
      report.at([...path, ...at, 'format'], 'the "format" keyword is not supported in envelopes (it needs ajv-formats at run time)', 'key');
      usable = false;
    }
    if ('uniqueItems' in schema) {
      report.at([...path, ...at, 'uniqueItems'], 'the "uniqueItems" keyword is not supported in envelopes (it takes quadratic time on large arrays)', 'key');
    }
    const advice = 'simplify it so that it cannot backtrack, or leave it out';
    if (typeof schema.pattern === 'string') {
      const problem = patternProblem(schema.pattern, ENVELOPE_FLAGS);
      if (problem) report.at([...path, ...at, 'pattern'], describePattern(problem, advice));
    }
    const patternKeys = typeof schema.patternProperties === 'object' && schema.patternProperties !== null ? Object.keys(schema.patternProperties) : [];
    for (const key of patternKeys) {
      const problem = patternProblem(key, ENVELOPE_FLAGS);
      if (problem) report.at([...path, ...at, 'patternProperties', key], describePattern(problem, advice), 'key');
    }
  }
  if (!usable) return;
  try {
    compile(envelope);
  } catch (error) {
    report.at(path, `the envelope is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

function describePattern(problem: PatternProblem, advice: string): string {
  return problem.kind === 'invalid' ? `invalid regular expression: ${problem.reason}` : `unsafe regex: ${problem.reason}; ${advice}`;
}

function unknownName(kind: string, value: string, known: ReadonlySet<string>): string {
  const near = closest(value, [...known]);
  return `unknown ${kind} "${value}"${near ? ` (did you mean "${near}"?)` : ''}`;
}

/**
 * Whether a code key uses * as a wildcard anywhere but at the end of a prefix: a * that starts a
 * dotted segment (`*`, `*.X`, `A.*.B`, `*_ERROR`) reads as one. Elsewhere a * is a plain character
 * of the code (`5*5`, `a * b`), since providers' codes are free text.
 */
function misplacedStar(code: string): boolean {
  for (let i = code.indexOf('*'); i !== -1; i = code.indexOf('*', i + 1)) {
    const startsSegment = i === 0 || code[i - 1] === '.';
    if (startsSegment && (i === 0 || i !== code.length - 1)) return true;
  }
  return false;
}
