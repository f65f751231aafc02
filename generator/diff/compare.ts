/**
 * Compares two models, part by part, keyed by what each part is (a provider's id, a code, a
 * status, a sub-type's id), never by where it was written: a reformatted or reordered file is no
 * change, and a code moved within its file is the same code. Pure: positions come from each
 * side's `locate`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SourcePosition } from '../diagnostics.js';
import type { CategoryModel, CodeModel, ExampleModel, LayerModel, Model, ProviderModel, SoftFailureModel, SpecOutcome, StatusModel, SubtypeModel, TaskLayerModel } from '../model.js';
import { pathText } from '../runtime/body.js';
import { withDefaults } from '../runtime/retry.js';
import type { FieldPath, Place, RetryRule, StatusClass } from '../runtime/types.js';
import { placeText } from '../field-path.js';
import { compareSchemas } from './envelope.js';
import { cadenceWords, httpStateWords, requestHeaderWords, retryAfterWords, softFailureWords, verdictWords } from '../words.js';
import { sameSchedule, scheduleChanges, waitSchedule } from './schedule.js';
import { SEVERITIES, type Change, type Severity, type Side } from './types.js';

type Path = readonly (string | number)[];

interface Scope {
  readonly provider: string | null;
  readonly layer: 'http' | 'task' | null;
  readonly code: string | null;
}

const TAXONOMY: Scope = { provider: null, layer: null, code: null };

/** Every change from OLD to NEW, grouped by provider (the taxonomy first), most severe first within each. */
export function compareModels(old: Side, now: Side): Change[] {
  const changes = new Changes(old, now);
  compareTaxonomy(changes, old.model, now.model);
  comparePackage(changes, old.model, now.model);
  compareProviders(changes, old.model, now.model);
  return changes.sorted();
}

/** Collects changes and finds where each was written. */
class Changes {
  private readonly list: Change[] = [];
  constructor(
    private readonly old: Side,
    private readonly now: Side,
  ) {}

  /** A change to something present in NEW (changed or added). */
  inNew(scope: Scope, path: Path, fields: ChangeFields): void {
    this.add(scope, fields, 'new', this.now.locate(scope.provider, path, 'key'));
  }

  /** A change to the package's own settings (spec/package.yaml). */
  inPackage(path: Path, fields: ChangeFields): void {
    this.add(TAXONOMY, fields, 'new', this.now.locatePackage(path));
  }

  /** A change to something NEW no longer has. */
  inOld(scope: Scope, path: Path, fields: ChangeFields): void {
    this.add(scope, fields, 'old', this.old.locate(scope.provider, path, 'key'));
  }

  /** A position already known from the model of one side. */
  at(scope: Scope, side: 'old' | 'new', at: SourcePosition, fields: ChangeFields): void {
    this.add(scope, fields, side, at);
  }

  private add(scope: Scope, fields: ChangeFields, side: 'old' | 'new', at: SourcePosition | null): void {
    this.list.push({ ...scope, ...fields, old: fields.old ?? null, new: fields.new ?? null, details: fields.details ?? [], side, at });
  }

  sorted(): Change[] {
    const providerOrder = (c: Change): string => (c.provider === null ? '' : `~${c.provider}`);
    return this.list
      .map((change, index) => ({ change, index }))
      .sort(
        (a, b) =>
          compareText(providerOrder(a.change), providerOrder(b.change)) ||
          SEVERITIES.indexOf(a.change.severity) - SEVERITIES.indexOf(b.change.severity) ||
          a.index - b.index,
      )
      .map(({ change }) => change);
  }
}

interface ChangeFields {
  readonly severity: Severity;
  readonly rule: string;
  readonly subject: string;
  readonly message: string;
  readonly old?: unknown;
  readonly new?: unknown;
  readonly details?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The taxonomy

function compareTaxonomy(changes: Changes, old: Model, now: Model): void {
  const actions = matchBy(old.taxonomy.actions, now.taxonomy.actions, (a) => a.id);
  presence(changes, actions, { kind: 'action', name: (a) => `action ${a.id}`, id: (a) => a.id, at: (a) => [TAXONOMY, ['actions', a.id]] });
  for (const [before, after] of actions.common) {
    if (before.description !== after.description) {
      changes.inNew(TAXONOMY, ['actions', after.id], docs('action-description-changed', `action ${after.id}: description`, before.description, after.description));
    }
  }

  const categories = matchBy(old.taxonomy.categories, now.taxonomy.categories, (c) => c.id);
  presence(changes, categories, { kind: 'category', name: (c) => `category ${c.id}`, id: (c) => c.id, at: (c) => [TAXONOMY, ['categories', c.id]] });
  for (const [before, after] of categories.common) compareCategory(changes, before, after);

  compareStatusFallback(changes, old, now);
  compareNetwork(changes, old, now);
}

function compareCategory(changes: Changes, before: CategoryModel, after: CategoryModel): void {
  const path = ['categories', after.id];
  if (before.fault !== after.fault) {
    changes.inNew(TAXONOMY, [...path, 'fault'], {
      severity: 'breaking',
      rule: 'category-fault-changed',
      subject: `category ${after.id}: fault`,
      message: `category ${after.id}: fault ${before.fault} → ${after.fault} (every code in it changes fault)`,
      old: before.fault,
      new: after.fault,
    });
  }
  compareOutcome(changes, TAXONOMY, path, `category ${after.id}`, before.outcome, after.outcome);
}

function compareStatusFallback(changes: Changes, old: Model, now: Model): void {
  const before = old.taxonomy.statusFallback;
  const after = now.taxonomy.statusFallback;
  const entries = (fallback: typeof before, kind: 'exact' | 'ranges'): (readonly [string, string])[] =>
    fallback[kind].map(([status, category]) => [kind === 'exact' ? String(status) : `${String(status)[0]}xx`, category] as const);
  for (const kind of ['exact', 'ranges'] as const) {
    const { removed, added, common } = matchBy(entries(before, kind), entries(after, kind), ([status]) => status);
    const path = (status: string): Path => ['statusFallback', kind, status];
    for (const [status, category] of removed) {
      changes.inOld(TAXONOMY, path(status), statusFallbackChange(status, category, null));
    }
    for (const [status, category] of added) changes.inNew(TAXONOMY, path(status), statusFallbackChange(status, null, category));
    for (const [[status, was], [, is]] of common) {
      if (was !== is) changes.inNew(TAXONOMY, path(status), statusFallbackChange(status, was, is));
    }
  }
  if (before.otherwise !== after.otherwise) {
    changes.inNew(TAXONOMY, ['statusFallback', 'otherwise'], statusFallbackChange('any other status', before.otherwise, after.otherwise));
  }
}

function statusFallbackChange(status: string, was: string | null, is: string | null): ChangeFields {
  // A status the fallback table did not name falls to a wider entry: either way, some branch moves.
  return {
    severity: 'breaking',
    rule: 'status-fallback-changed',
    subject: `status fallback ${status}`,
    message: `a response with status ${status} and no declared code: ${was ?? '(the wider entry)'} → ${is ?? '(the wider entry)'}`,
    old: was,
    new: is,
  };
}

function compareNetwork(changes: Changes, old: Model, now: Model): void {
  const before = old.taxonomy.network;
  const after = now.taxonomy.network;
  for (const table of ['codes', 'names'] as const) {
    const keys = [...new Set([...Object.keys(before[table]), ...Object.keys(after[table])])].sort();
    for (const key of keys) {
      const was = before[table][key] ?? null;
      const is = after[table][key] ?? null;
      if (was === is) continue;
      const where = is === null ? 'inOld' : 'inNew';
      changes[where](TAXONOMY, ['network', table, key], {
        severity: was === null ? 'additive' : 'breaking',
        rule: was === null ? 'network-mapping-added' : 'network-mapping-changed',
        subject: `network error ${key}`,
        message: `network error ${key}: ${was ?? '(unmapped)'} → ${is ?? '(unmapped)'}`,
        old: was,
        new: is,
      });
    }
  }
  const messages = matchBy(before.messages, after.messages, (m) => m.contains.toLowerCase());
  for (const gone of messages.removed) {
    changes.inOld(TAXONOMY, ['network', 'messages'], { severity: 'breaking', rule: 'network-mapping-changed', subject: `network message "${gone.contains}"`, message: `a network failure whose message contains "${gone.contains}": ${gone.category} → (unmapped)`, old: gone.category });
  }
  for (const fresh of messages.added) {
    changes.inNew(TAXONOMY, ['network', 'messages'], { severity: 'additive', rule: 'network-mapping-added', subject: `network message "${fresh.contains}"`, message: `a network failure whose message contains "${fresh.contains}": (unmapped) → ${fresh.category}`, new: fresh.category });
  }
  for (const [was, is] of messages.common) {
    if (was.category === is.category) continue;
    changes.inNew(TAXONOMY, ['network', 'messages'], { severity: 'breaking', rule: 'network-mapping-changed', subject: `network message "${is.contains}"`, message: `a network failure whose message contains "${is.contains}": ${was.category} → ${is.category}`, old: was.category, new: is.category });
  }
  // The messages are tried in order: the first that matches decides.
  const order = (list: typeof before.messages): string[] => list.map((m) => m.contains.toLowerCase()).filter((c) => messages.common.some(([, n]) => n.contains.toLowerCase() === c));
  if (!isDeepStrictEqual(order(before.messages), order(after.messages))) {
    changes.inNew(TAXONOMY, ['network', 'messages'], { severity: 'behaviour', rule: 'network-order-changed', subject: 'network messages', message: 'the messages that name a network failure are tried in a new order', old: order(before.messages), new: order(after.messages) });
  }
  const wasProof = [...(before.unprocessed ?? [])].sort();
  const isProof = [...(after.unprocessed ?? [])].sort();
  if (!isDeepStrictEqual(wasProof, isProof)) {
    changes.inNew(TAXONOMY, ['network', 'unprocessed'], {
      severity: 'behaviour',
      rule: 'network-unprocessed-changed',
      subject: 'network errors that prove a request unprocessed',
      message: `network errors after which even a POST may be resent: ${wasProof.join(', ') || '(none)'} → ${isProof.join(', ') || '(none)'}`,
      old: wasProof,
      new: isProof,
    });
  }
}

/** The package's name is what consumers import; its version is what the advice is about. */
function comparePackage(changes: Changes, old: Model, now: Model): void {
  if (old.package.name === now.package.name) return;
  changes.inPackage(['name'], {
    severity: 'breaking',
    rule: 'package-renamed',
    subject: 'package name',
    message: `package renamed: ${old.package.name} → ${now.package.name} (every import changes)`,
    old: old.package.name,
    new: now.package.name,
  });
}

// ---------------------------------------------------------------------------------------------
// Providers

function compareProviders(changes: Changes, oldModel: Model, nowModel: Model): void {
  const { removed, added, common } = matchBy(oldModel.providers, nowModel.providers, (p) => p.id);
  const categories = matchBy(oldModel.taxonomy.categories, nowModel.taxonomy.categories, (c) => c.id).common;
  presence(changes, { removed, added }, { kind: 'provider', name: (p) => `provider ${p.id}`, id: (p) => p.id, at: (p) => [scopeOf(p.id), ['provider']], added: (p) => ` (${p.name})` });
  for (const [before, after] of common) compareProvider(changes, before, after, categories);
}

function compareProvider(changes: Changes, before: ProviderModel, after: ProviderModel, categories: readonly [CategoryModel, CategoryModel][]): void {
  const scope = scopeOf(after.id);
  if (before.name !== after.name) changes.inNew(scope, ['name'], docs('provider-name-changed', 'name', before.name, after.name));
  const sources = (p: ProviderModel): ProviderModel['sources'] => [...p.sources].sort((a, b) => compareText(a.key, b.key));
  if (!isDeepStrictEqual(sources(before), sources(after))) changes.inNew(scope, ['sources'], docs('sources-changed', 'sources', sources(before), sources(after)));
  compareDefaults(changes, scope, ['defaults', 'retry'], 'retry defaults', categories, before.retryDefaults, after.retryDefaults);
  compareDefaults(changes, scope, ['defaults', 'networkRetry'], 'network retry defaults', categories, before.networkRetryDefaults, after.networkRetryDefaults);
  compareSending(changes, scope, before, after);
  const verdicts = (p: ProviderModel): string => p.verdicts.map((v) => `${v.header}: ${verdictWords(v)}`).join('; ') || '(none)';
  if (verdicts(before) !== verdicts(after)) {
    changes.inNew(scope, ['layers', 'http', 'verdicts'], {
      severity: 'behaviour',
      rule: 'verdicts-changed',
      subject: 'retry verdict headers',
      message: `headers that decide whether to retry: ${verdicts(before)} → ${verdicts(after)}`,
      old: verdicts(before),
      new: verdicts(after),
    });
  }
  compareSoftFailures(changes, scope, 'http', before.http.softFailures, after.http.softFailures);
  if (before.sdkElsewhere !== after.sdkElsewhere) {
    changes.inNew(scope, ['layers', 'http', 'sdk'], docs('sdk-note-changed', 'official SDK note on statuses left to the taxonomy', before.sdkElsewhere, after.sdkElsewhere));
  }
  const waits = (p: ProviderModel): string => retryAfterWords(p.retryAfter);
  if (waits(before) !== waits(after)) {
    changes.inNew(scope, ['layers', 'http', 'retryAfter'], {
      severity: 'behaviour',
      rule: 'retry-after-changed',
      subject: 'stated waits',
      message: `where the wait the server states is read: ${waits(before)} → ${waits(after)}`,
      old: waits(before),
      new: waits(after),
    });
  }
  if (!isDeepStrictEqual(before.requestId, after.requestId)) {
    changes.inNew(scope, ['layers', 'http', 'fields', 'requestId'], {
      severity: 'behaviour',
      rule: 'request-id-changed',
      subject: 'request id',
      message: `where the request id is read: ${places(before.requestId)} → ${places(after.requestId)}`,
      old: places(before.requestId),
      new: places(after.requestId),
    });
  }

  const renames = compareLayer(changes, after.id, before.http, after.http);
  compareStatuses(changes, after.id, before.statuses, after.statuses, renames);
  if (before.task && !after.task) {
    changes.inOld(layerScope(after.id, 'task'), ['layers', 'task'], { severity: 'breaking', rule: 'task-layer-removed', subject: 'task layer', message: 'task layer removed: classifyTask and pollTask no longer serve this provider', old: true, new: false });
  } else if (!before.task && after.task) {
    changes.inNew(layerScope(after.id, 'task'), ['layers', 'task'], { severity: 'additive', rule: 'task-layer-added', subject: 'task layer', message: 'task layer added', old: false, new: true });
  } else if (before.task && after.task) {
    compareLayer(changes, after.id, before.task, after.task);
    compareTaskLayer(changes, after.id, before.task, after.task);
  }
}

/**
 * Defaults matter through the category rules they adjust: compared by the waits each category
 * ends up with, so a default that restates a category's own value is no change.
 */
function compareDefaults(changes: Changes, scope: Scope, path: Path, what: string, categories: readonly [CategoryModel, CategoryModel][], before: Partial<RetryRule> | null, after: Partial<RetryRule> | null): void {
  if (isDeepStrictEqual(before, after)) return;
  const details = categories.flatMap(([was, is]) => {
    if (was.outcome.retry === null || is.outcome.retry === null) return [];
    const old = waitSchedule(withDefaults(was.outcome.retry, before));
    const now = waitSchedule(withDefaults(is.outcome.retry, after));
    return sameSchedule(old, now) ? [] : scheduleChanges(old, now).map((line) => `${is.id}, ${line}`);
  });
  if (details.length === 0) return;
  changes.inNew(scope, path, {
    severity: 'behaviour',
    rule: 'retry-defaults-changed',
    subject: what,
    message: `${what} changed: ${describePartial(before)} → ${describePartial(after)} (the waits of every code that keeps its category's rule)`,
    old: before,
    new: after,
    details,
  });
}

function compareSending(changes: Changes, scope: Scope, before: ProviderModel, after: ProviderModel): void {
  const header = (p: ProviderModel): string | null => p.idempotencyHeader?.value ?? null;
  if (header(before) !== header(after)) {
    changes.inNew(scope, ['sending', 'idempotencyHeader'], {
      severity: 'behaviour',
      rule: 'idempotency-header-changed',
      subject: 'idempotency header',
      message: `idempotency header: ${header(before) ?? '(none)'} → ${header(after) ?? '(none)'}${header(after) === null ? ' (a POST is no longer resent after an ambiguous failure)' : ''}`,
      old: header(before),
      new: header(after),
    });
  }
  const limit = (p: ProviderModel): number | null => p.concurrency?.value ?? null;
  if (limit(before) !== limit(after)) {
    changes.inNew(scope, ['sending', 'concurrency'], {
      severity: 'behaviour',
      rule: 'concurrency-limit-changed',
      subject: 'concurrency limit',
      message: `concurrent generations per account: ${limit(before) ?? '(unlimited)'} → ${limit(after) ?? '(unlimited)'}`,
      old: limit(before),
      new: limit(after),
    });
  }
  const stated = (p: ProviderModel): string => (p.noIdempotencyKey ? 'documented: none' : '(not stated)');
  if (!header(before) && !header(after) && stated(before) !== stated(after)) {
    changes.inNew(scope, ['sending', 'idempotencyHeader'], docs('sending-docs-changed', 'idempotency key', stated(before), stated(after)));
  }
  const sent = (p: ProviderModel): string => requestHeaderWords(p.requestHeaders) || '(none)';
  if (sent(before) !== sent(after)) {
    changes.inNew(scope, ['sending', 'headers'], {
      severity: 'behaviour',
      rule: 'request-headers-changed',
      subject: 'headers every request carries',
      message: `headers every request carries: ${sent(before)} → ${sent(after)}`,
      old: sent(before),
      new: sent(after),
    });
  }
  for (const key of ['idempotencyHeader', 'concurrency'] as const) {
    const was = before[key];
    const is = after[key];
    if (was && is && (was.source !== is.source || was.note !== is.note)) {
      changes.inNew(scope, ['sending', key], docs('sending-docs-changed', `${key}: source or note`, { source: was.source, note: was.note }, { source: is.source, note: is.note }));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Layers, codes and sub-types

/** Returns the layer's renamed codes, for the parts of the spec outside it that name them. */
function compareLayer(changes: Changes, provider: string, before: LayerModel, after: LayerModel): Renames {
  const scope = layerScope(provider, after.layer);
  const layerPath = ['layers', after.layer];
  for (const change of compareSchemas(before.envelope, after.envelope)) {
    const rule = change.severity === 'breaking' ? 'envelope-narrowed' : change.severity === 'additive' ? 'envelope-widened' : 'envelope-docs-changed';
    const where = change.where === '' ? '' : ` ${change.where}`;
    changes.inNew(scope, [...layerPath, 'envelope', ...schemaPath(change.where)], {
      severity: change.severity,
      rule,
      subject: `envelope${where}`,
      message: `envelope ${after.typeName}: ${change.message}`,
      old: change.old,
      new: change.new,
    });
  }
  if (!isDeepStrictEqual(before.fields, after.fields) || !isDeepStrictEqual(before.codePlaces, after.codePlaces)) {
    changes.inNew(scope, [...layerPath, 'fields'], {
      severity: 'behaviour',
      rule: 'fields-changed',
      subject: 'fields',
      message: `where the body's fields are read: ${describeFields(before, after)}`,
      old: before.fields,
      new: after.fields,
    });
  }
  const codes = pairCodes(before.codes, after.codes);
  // A task layer that shares the HTTP layer's codes has them compared once, there.
  if (!(before.codesFrom === 'http' && after.codesFrom === 'http')) compareCodes(changes, provider, after.layer, codes);
  const renames: Renames = new Map(codes.renamed.map(([gone, twin]) => [gone.code, twin.code]));
  compareExamples(changes, scope, before.examples, after.examples, renames);
  return renames;
}

/**
 * OLD's name of each renamed code → its name in NEW. A renamed code is one change: what names it
 * (its examples, a status entry) is compared under its new name, so following the rename is no
 * second change.
 */
type Renames = ReadonlyMap<string, string>;

const NO_RENAMES: Renames = new Map();

/** A code's name as NEW knows it. */
function renamedCode(renames: Renames, code: string): string {
  return renames.get(code) ?? code;
}

interface CodePairs {
  readonly removed: readonly CodeModel[];
  readonly added: readonly CodeModel[];
  readonly common: readonly [CodeModel, CodeModel][];
  readonly renamed: readonly [CodeModel, CodeModel][];
}

/** A code removed and another added with the same status and outcome is one code renamed. */
function pairCodes(before: readonly CodeModel[], after: readonly CodeModel[]): CodePairs {
  const { removed, added, common } = matchBy(before, after, (c) => c.code);
  const renamed: [CodeModel, CodeModel][] = [];
  for (const gone of removed) {
    const twin = added.find((c) => !renamed.some(([, n]) => n === c) && c.status === gone.status && sameMeaning(c.outcome, gone.outcome));
    if (twin) renamed.push([gone, twin]);
  }
  return {
    removed: removed.filter((gone) => !renamed.some(([o]) => o === gone)),
    added: added.filter((fresh) => !renamed.some(([, n]) => n === fresh)),
    common,
    renamed,
  };
}

function compareCodes(changes: Changes, provider: string, layer: 'http' | 'task', { removed, added, common, renamed }: CodePairs): void {
  for (const gone of removed) {
    changes.at(codeScope(provider, layer, gone.code), 'old', gone.at, {
      severity: 'breaking',
      rule: 'code-removed',
      subject: `code ${gone.code}`,
      message: `code ${gone.code} removed (${gone.outcome.category}${gone.status === null ? '' : `, ${gone.status}`})`,
      old: gone.code,
    });
  }
  for (const [gone, twin] of renamed) {
    changes.at(codeScope(provider, layer, twin.code), 'new', twin.at, {
      severity: 'breaking',
      rule: 'code-renamed',
      subject: `code ${gone.code}`,
      message: `code ${gone.code} renamed to ${twin.code} (same status and outcome)`,
      old: gone.code,
      new: twin.code,
    });
    compareCode(changes, provider, layer, gone, twin);
  }
  for (const fresh of added) {
    changes.at(codeScope(provider, layer, fresh.code), 'new', fresh.at, {
      severity: 'additive',
      rule: 'code-added',
      subject: `code ${fresh.code}`,
      message: `code ${fresh.code} added (${fresh.outcome.category}${fresh.status === null ? '' : `, ${fresh.status}`})`,
      new: fresh.code,
    });
  }
  for (const [was, is] of common) compareCode(changes, provider, layer, was, is);
}

function compareCode(changes: Changes, provider: string, layer: 'http' | 'task', before: CodeModel, after: CodeModel): void {
  const scope = codeScope(provider, layer, after.code);
  const path = ['layers', layer, 'codes', after.code];
  const what = `code ${after.code}`;
  if (before.status !== after.status) {
    changes.inNew(scope, [...path, 'status'], {
      severity: 'breaking',
      rule: 'code-status-changed',
      subject: `${what}: status`,
      message: `${what}: status ${before.status ?? '(none)'} → ${after.status ?? '(none)'}`,
      old: before.status,
      new: after.status,
    });
  }
  compareOutcome(changes, scope, path, what, before.outcome, after.outcome);
  if (before.note !== after.note) changes.inNew(scope, [...path, 'note'], docs('note-changed', `${what}: note`, before.note, after.note));
  if (before.sdk !== after.sdk) changes.inNew(scope, [...path, 'sdk'], docs('sdk-note-changed', `${what}: official SDK note`, before.sdk, after.sdk));
  if (before.source !== after.source) changes.inNew(scope, [...path, 'source'], docs('source-changed', `${what}: source`, before.source, after.source));
  compareSubtypes(changes, scope, path, before, after);
}

function compareSubtypes(changes: Changes, scope: Scope, codePath: Path, before: CodeModel, after: CodeModel): void {
  const { removed, added, common } = matchBy(before.subtypes, after.subtypes, (s) => s.id);
  const what = (s: SubtypeModel): string => `code ${after.code}, sub-type ${s.id}`;
  // A sub-type's place is its index in the list of its own side.
  const at = (s: SubtypeModel): [Scope, Path] => [scope, [...codePath, 'subtypes', (removed.includes(s) ? before : after).subtypes.indexOf(s)]];
  presence(changes, { removed, added }, { kind: 'subtype', name: what, id: (s) => s.id, at });
  const order = (list: readonly SubtypeModel[]): string[] => list.filter((s) => common.some(([, n]) => n.id === s.id)).map((s) => s.id);
  if (!isDeepStrictEqual(order(before.subtypes), order(after.subtypes))) {
    changes.inNew(scope, [...codePath, 'subtypes'], {
      severity: 'behaviour',
      rule: 'subtype-order-changed',
      subject: `code ${after.code}: sub-type order`,
      message: `code ${after.code}: sub-types are tried in a new order (${order(after.subtypes).join(', ')}); a message matching two now gets the other`,
      old: order(before.subtypes),
      new: order(after.subtypes),
    });
  }
  for (const [was, is] of common) {
    const path = [...codePath, 'subtypes', after.subtypes.indexOf(is)];
    // Any one pattern matches, so their order means nothing.
    if (!isDeepStrictEqual([...was.contains].sort(), [...is.contains].sort()) || was.regex !== is.regex) {
      changes.inNew(scope, path, {
        severity: 'behaviour',
        rule: 'subtype-pattern-changed',
        subject: `${what(is)}: pattern`,
        message: `${what(is)}: matches ${describePattern(was)} → ${describePattern(is)}`,
        old: { contains: was.contains, regex: was.regex },
        new: { contains: is.contains, regex: is.regex },
      });
    }
    // A sub-type without an outcome of its own means what its code means: the code's changes say it.
    if (was.outcome !== null || is.outcome !== null) {
      compareOutcome(changes, scope, path, what(is), was.outcome ?? before.outcome, is.outcome ?? after.outcome, {
        // Its description is its own either way (below); its suggestion, only where both sides state one.
        texts: was.outcome !== null && is.outcome !== null ? 'suggestion' : 'none',
      });
    }
    if (was.description !== is.description) changes.inNew(scope, path, docs('description-changed', `${what(is)}: description`, was.description, is.description));
    if (was.note !== is.note) changes.inNew(scope, path, docs('note-changed', `${what(is)}: note`, was.note, is.note));
  }
}

/**
 * Category, action and retryable are branches a consumer takes; the retry rule and the proof of
 * an unprocessed request change what the executor does; the rest is text. `texts` says which of
 * the description and the suggestion to compare.
 */
function compareOutcome(
  changes: Changes,
  scope: Scope,
  path: Path,
  what: string,
  before: SpecOutcome,
  after: SpecOutcome,
  { texts = 'all' }: { texts?: 'all' | 'suggestion' | 'none' } = {},
): void {
  for (const key of ['category', 'action', 'retryable'] as const) {
    if (before[key] === after[key]) continue;
    changes.inNew(scope, [...path, key], {
      severity: 'breaking',
      rule: `${key}-changed`,
      subject: `${what}: ${key}`,
      message: `${what}: ${key} ${String(before[key])} → ${String(after[key])}`,
      old: before[key],
      new: after[key],
    });
  }
  const was = waitSchedule(before.retry);
  const is = waitSchedule(after.retry);
  // When retryable flipped, the schedule follows and the breaking change already says so.
  if (before.retryable === after.retryable && !sameSchedule(was, is)) {
    changes.inNew(scope, [...path, 'retry'], {
      severity: 'behaviour',
      rule: 'retry-changed',
      subject: `${what}: retry waits`,
      message: `${what}: retry waits changed${was.waits.length === is.waits.length ? '' : ` (${was.waits.length} → ${is.waits.length} retries)`}`,
      old: before.retry,
      new: after.retry,
      details: scheduleChanges(was, is),
    });
  }
  if (before.unprocessed !== after.unprocessed) {
    changes.inNew(scope, [...path, 'unprocessed'], {
      severity: 'behaviour',
      rule: 'unprocessed-changed',
      subject: `${what}: unprocessed`,
      message: after.unprocessed
        ? `${what}: now proves a request unprocessed, so even a POST without an idempotency key is resent after it`
        : `${what}: no longer proves a request unprocessed; a POST without an idempotency key is not resent after it`,
      old: before.unprocessed,
      new: after.unprocessed,
    });
  }
  if (texts === 'all' && before.description !== after.description) changes.inNew(scope, [...path, 'description'], docs('description-changed', `${what}: description`, before.description, after.description));
  if (texts !== 'none' && before.suggestion !== after.suggestion) changes.inNew(scope, [...path, 'suggestion'], docs('suggestion-changed', `${what}: suggestion`, before.suggestion, after.suggestion));
}

function compareStatuses(changes: Changes, provider: string, before: readonly StatusModel[], after: readonly StatusModel[], renames: Renames): void {
  const scope = layerScope(provider, 'http');
  const { removed, added, common } = matchBy(before, after, (s) => String(s.status));
  const meaning = (s: StatusModel): string => (s.code === null ? `its own outcome (${s.outcome?.category ?? 'none'})` : `code ${s.code}`);
  for (const gone of removed) {
    changes.at(scope, 'old', gone.at, { severity: 'breaking', rule: 'status-removed', subject: `status ${gone.status}`, message: `status ${gone.status} no longer means ${meaning(gone)}; it falls back on the taxonomy`, old: meaning(gone) });
  }
  for (const fresh of added) {
    changes.at(scope, 'new', fresh.at, { severity: 'additive', rule: 'status-added', subject: `status ${fresh.status}`, message: `status ${fresh.status} now means ${meaning(fresh)}`, new: meaning(fresh) });
  }
  for (const [was, is] of common) {
    if ((was.code === null ? null : renamedCode(renames, was.code)) !== is.code) {
      changes.at(scope, 'new', is.at, { severity: 'breaking', rule: 'status-changed', subject: `status ${is.status}`, message: `status ${is.status}: ${meaning(was)} → ${meaning(is)}`, old: was.code, new: is.code });
    } else if (was.outcome && is.outcome) {
      compareOutcome(changes, scope, ['layers', 'http', 'statuses', String(is.status)], `status ${is.status}`, was.outcome, is.outcome);
    }
    if (was.note !== is.note) changes.at(scope, 'new', is.at, docs('note-changed', `status ${is.status}: note`, was.note, is.note));
    if (was.sdk !== is.sdk) changes.at(scope, 'new', is.at, docs('sdk-note-changed', `status ${is.status}: official SDK note`, was.sdk, is.sdk));
  }
}

/** Whether a status class means the task runs on. */
function pollsOn(state: StatusClass): boolean {
  return state === 'running' || state === 'queued';
}

/** Soft failures, compared as the list they are (the first that holds decides): any change is behaviour. */
function compareSoftFailures(changes: Changes, scope: Scope, layer: 'http' | 'task', before: readonly SoftFailureModel[], after: readonly SoftFailureModel[]): void {
  const words = (rules: readonly SoftFailureModel[]): string => rules.map(softFailureWords).join('; ') || '(none)';
  if (words(before) === words(after)) return;
  changes.inNew(scope, ['layers', layer, 'softFailures'], {
    severity: 'behaviour',
    rule: 'soft-failures-changed',
    subject: `${layer === 'http' ? '2xx responses' : 'completed tasks'} that fail`,
    message: `${layer === 'http' ? 'a 2xx response fails' : 'a completed task fails'}: ${words(before)} → ${words(after)}`,
    old: words(before),
    new: words(after),
  });
}

function compareTaskLayer(changes: Changes, provider: string, before: TaskLayerModel, after: TaskLayerModel): void {
  const scope = layerScope(provider, 'task');
  const behaviour = (rule: string, path: Path, subject: string, was: string, is: string, old: unknown, now: unknown): void => {
    if (was !== is) changes.inNew(scope, path, { severity: 'behaviour', rule, subject, message: `${subject}: ${was} → ${is}`, old, new: now });
  };
  const states = matchBy(before.states, after.states, ([value]) => value);
  for (const [value, state] of states.removed) {
    changes.inOld(scope, ['layers', 'task', 'status'], { severity: 'breaking', rule: 'task-state-changed', subject: `task status "${value}"`, message: `task status "${value}" (${state}) removed: it now reads as still running`, old: state });
  }
  for (const [value, state] of states.added) {
    changes.inNew(scope, ['layers', 'task', 'status', state], { severity: 'additive', rule: 'task-state-added', subject: `task status "${value}"`, message: `task status "${value}" added (${state})`, new: state });
  }
  for (const [[value, was], [, is]] of states.common) {
    if (was === is) continue;
    // Queued and running are one state at run time; the move only documents which it is.
    const severity = pollsOn(was) && pollsOn(is) ? 'docs' : 'breaking';
    changes.inNew(scope, ['layers', 'task', 'status', is], { severity, rule: 'task-state-changed', subject: `task status "${value}"`, message: `task status "${value}": ${was} → ${is}`, old: was, new: is });
  }
  behaviour('task-http-states-changed', ['layers', 'task', 'status', 'http'], "statuses of the status request that decide", httpStateWords(before) || '(none)', httpStateWords(after) || '(none)', before.httpStates, after.httpStates);
  behaviour('poll-after-changed', ['layers', 'task', 'poll', 'after'], 'where a status response states the next wait', retryAfterWords(before.pollAfter) || '(none)', retryAfterWords(after.pollAfter) || '(none)', before.pollAfter, after.pollAfter);
  compareSoftFailures(changes, scope, 'task', before.softFailures, after.softFailures);
  behaviour('task-result-changed', ['layers', 'task', 'result'], 'where a completed task gives its result URL', before.result ? pathText(before.result.value) : '(the body is the result)', after.result ? pathText(after.result.value) : '(the body is the result)', before.result?.value ?? null, after.result?.value ?? null);
  behaviour('task-status-absent-changed', ['layers', 'task', 'status', 'absent'], 'status of a body without one', before.absent ?? '(not a task body)', after.absent ?? '(not a task body)', before.absent, after.absent);
  behaviour('progress-changed', ['layers', 'task', 'progressScale'], 'progress scale', `0–${before.progressScale}`, `0–${after.progressScale}`, before.progressScale, after.progressScale);
  const paths = (list: readonly FieldPath[]): string => list.map(pathText).join(', ') || '(none)';
  behaviour('task-id-changed', ['layers', 'task', 'fields', 'taskId'], 'task id in the status body', paths(before.taskId), paths(after.taskId), before.taskId, after.taskId);
  behaviour('task-id-changed', ['layers', 'task', 'submit', 'taskId'], 'task id in the submit response', paths(before.submitTaskId.value), paths(after.submitTaskId.value), before.submitTaskId.value, after.submitTaskId.value);
  behaviour('progress-changed', ['layers', 'task', 'fields', 'progress'], 'progress field', before.progress ? pathText(before.progress) : '(none)', after.progress ? pathText(after.progress) : '(none)', before.progress, after.progress);
  if (!isDeepStrictEqual(before.poll.value, after.poll.value)) {
    changes.inNew(scope, ['layers', 'task', 'poll'], {
      severity: 'behaviour',
      rule: 'poll-cadence-changed',
      subject: 'poll cadence',
      message: 'poll cadence changed',
      old: before.poll.value,
      new: after.poll.value,
      details: [`${cadenceWords(before.poll.value)} → ${cadenceWords(after.poll.value)}`],
    });
  }
  for (const key of ['poll', 'submitTaskId'] as const) {
    const was = before[key];
    const is = after[key];
    if (was.source !== is.source || was.note !== is.note) {
      changes.inNew(scope, ['layers', 'task', key === 'poll' ? 'poll' : 'submit'], docs('task-docs-changed', `${key === 'poll' ? 'poll cadence' : 'submit response'}: source or note`, { source: was.source, note: was.note }, { source: is.source, note: is.note }));
    }
  }
}

function compareExamples(changes: Changes, scope: Scope, before: readonly ExampleModel[], after: readonly ExampleModel[], renames: Renames): void {
  const { removed, added, common } = matchBy(before, after, exampleKey(NO_RENAMES), exampleKey(renames));
  for (const gone of removed) changes.at(scope, 'old', gone.at, docs('example-removed', `example "${gone.name}"`, gone.name, null, `example "${gone.name}" removed`));
  for (const fresh of added) {
    changes.at(scope, 'new', fresh.at, { severity: 'additive', rule: 'example-added', subject: `example "${fresh.name}"`, message: `example "${fresh.name}" added`, new: fresh.name });
  }
  for (const [was, is] of common) {
    const content = (e: ExampleModel): unknown => ({ status: e.status, headers: e.headers, body: e.body, expect: e.expect });
    if (!isDeepStrictEqual(content(was), content(is))) changes.at(scope, 'new', is.at, docs('example-changed', `example "${is.name}"`, content(was), content(is), `example "${is.name}" changed`));
  }
}

/**
 * An example is known by its code, as NEW names it, and its name; an unnamed one, whose name the
 * model makes from its code, by its place among the code's examples.
 */
function exampleKey(renames: Renames): (example: ExampleModel) => string {
  return ({ code, name, named, path }) => JSON.stringify([code === null ? null : renamedCode(renames, code), named ? name : path.at(-1)]);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Parts only OLD has (breaking: something consumers used is gone) and parts only NEW has (additive). */
function presence<T>(
  changes: Changes,
  { removed, added }: { readonly removed: readonly T[]; readonly added: readonly T[] },
  how: { kind: string; name: (item: T) => string; id: (item: T) => string; at: (item: T) => [Scope, Path]; added?: (item: T) => string },
): void {
  for (const gone of removed) {
    const [scope, path] = how.at(gone);
    changes.inOld(scope, path, { severity: 'breaking', rule: `${how.kind}-removed`, subject: how.name(gone), message: `${how.name(gone)} removed`, old: how.id(gone) });
  }
  for (const fresh of added) {
    const [scope, path] = how.at(fresh);
    changes.inNew(scope, path, { severity: 'additive', rule: `${how.kind}-added`, subject: how.name(fresh), message: `${how.name(fresh)} added${how.added?.(fresh) ?? ''}`, new: how.id(fresh) });
  }
}

/**
 * Parts of two lists paired by key, in NEW's order for the common ones. `oldKey` keys OLD's parts
 * as NEW would, where NEW renamed what a key is made of.
 */
export function matchBy<T>(before: readonly T[], after: readonly T[], key: (item: T) => string, oldKey = key): { removed: T[]; added: T[]; common: [T, T][] } {
  const old = new Map(before.map((item) => [oldKey(item), item]));
  const now = new Map(after.map((item) => [key(item), item]));
  return {
    removed: before.filter((item) => !now.has(oldKey(item))),
    added: after.filter((item) => !old.has(key(item))),
    common: after.filter((item) => old.has(key(item))).map((item) => [old.get(key(item))!, item]),
  };
}

function sameMeaning(a: SpecOutcome, b: SpecOutcome): boolean {
  return a.category === b.category && a.action === b.action && a.retryable === b.retryable;
}

function docs(rule: string, subject: string, old: unknown, now: unknown, message = `${subject} changed`): ChangeFields {
  return { severity: 'docs', rule, subject, message, old, new: now };
}

function scopeOf(provider: string): Scope {
  return { provider, layer: null, code: null };
}

function layerScope(provider: string, layer: 'http' | 'task'): Scope {
  return { provider, layer, code: null };
}

function codeScope(provider: string, layer: 'http' | 'task', code: string): Scope {
  return { provider, layer, code };
}

/** `error.type` inside a schema is `properties/error/properties/type`; `[]` is `items`. */
function schemaPath(where: string): Path {
  if (where === '') return [];
  return where.split('.').flatMap((part) => {
    const items = part.endsWith('[]');
    const name = items ? part.slice(0, -2) : part;
    return [...(name === '' ? [] : ['properties', name]), ...(items ? ['items'] : [])];
  });
}

function describePartial(rule: Partial<RetryRule> | null): string {
  if (rule === null) return '(the category rules)';
  return Object.entries(rule).map(([key, value]) => `${key} ${String(value)}`).join(', ') || '(the category rules)';
}

function describePattern(subtype: SubtypeModel): string {
  const parts = [...subtype.contains.map((c) => JSON.stringify(c)), ...(subtype.regex === null ? [] : [`/${subtype.regex}/i`])];
  return parts.join(' or ') || '(nothing)';
}

function describeFields(before: LayerModel, after: LayerModel): string {
  const show = (value: FieldPath | readonly FieldPath[] | null): string => {
    const paths = value === null ? [] : isPathList(value) ? value : [value];
    return paths.map(pathText).join(' | ') || '(none)';
  };
  const code = isDeepStrictEqual(before.codePlaces, after.codePlaces) ? [] : [`code ${places(before.codePlaces)} → ${places(after.codePlaces)}`];
  const others = (['message', 'param', 'suggestion', 'subtype', 'status'] as const)
    .filter((key) => !isDeepStrictEqual(before.fields[key], after.fields[key]))
    .map((key) => `${key} ${show(before.fields[key])} → ${show(after.fields[key])}`);
  return [...code, ...others].join('; ');
}

function isPathList(value: FieldPath | readonly FieldPath[]): value is readonly FieldPath[] {
  return value.length > 0 && Array.isArray(value[0]);
}

function places(list: readonly Place[]): string {
  return list.map(placeText).join(' | ') || '(none)';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
