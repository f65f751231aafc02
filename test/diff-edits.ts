/**
 * Spec edits and what errspec diff must make of each: the set of `severity rule provider` it
 * reports, and the semver level. Shared by the model-level table (diff.test.ts) and the same
 * edits committed to a git repository (diff-git.test.ts).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPEC_DIR } from './helpers.js';

export interface Edit {
  readonly name: string;
  /** File name → a change to its text. */
  readonly files?: Readonly<Record<string, (text: string) => string>>;
  readonly remove?: readonly string[];
  readonly add?: Readonly<Record<string, string>>;
  readonly expect: readonly string[];
  readonly level: 'breaking' | 'behaviour' | 'additive' | 'docs' | 'none';
  /** Lines the text report must hold. */
  readonly lines?: readonly string[];
  /** How many changes some `severity rule provider` entries must count, where once is not a given. */
  readonly counts?: Readonly<Record<string, number>>;
}

/** How a test names a change: `breaking code-removed ltx`. */
export function changeKey(change: { readonly severity: string; readonly rule: string; readonly provider: string | null }): string {
  return `${change.severity} ${change.rule}${change.provider ? ` ${change.provider}` : ''}`;
}

/** The shipped providers with a rate_limited code that keep the taxonomy's Retry-After ceiling. */
function inheritingRateLimitCeiling(): string[] {
  return readdirSync(SPEC_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .filter((name) => {
      const text = readFileSync(join(SPEC_DIR, name), 'utf8');
      return name !== 'taxonomy.yaml' && /\brate_limited\b/.test(text) && !text.includes('overCap');
    })
    .map((name) => name.replace(/\.yaml$/, ''));
}

/** Replaces `from` with `to`; an edit that no longer applies fails loudly instead of testing nothing. */
function swap(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const found = typeof from === 'string' ? text.includes(from) : from.test(text);
    if (!found) throw new Error(`edit does not apply: ${String(from)} not found`);
    return text.replace(from, to);
  };
}

function all(...steps: ((text: string) => string)[]): (text: string) => string {
  return (text) => steps.reduce((t, step) => step(t), text);
}

/** Cuts a code's block (its key line and everything indented deeper) out of the file. */
function cutCode(code: string): { cut: (text: string) => string; block: (text: string) => string } {
  const find = (text: string): RegExpExecArray => {
    const match = new RegExp(`\\n {6}${code}:\\n(?: {7,}.*\\n|\\n)*`).exec(text);
    if (!match) throw new Error(`edit does not apply: code ${code} not found`);
    return match;
  };
  return {
    cut: (text) => {
      const match = find(text);
      return text.slice(0, match.index) + '\n' + text.slice(match.index + match[0].length);
    },
    block: (text) => find(text)[0].slice(1),
  };
}

/** Moves a code to the top of its layer's codes, keeping its text. */
function moveToTop(code: string, afterLine: string): (text: string) => string {
  return (text) => {
    const { cut, block } = cutCode(code);
    const moved = block(text);
    const without = cut(text);
    const at = without.indexOf(afterLine);
    if (at < 0) throw new Error(`edit does not apply: ${afterLine} not found`);
    return without.slice(0, at + afterLine.length) + moved + without.slice(at + afterLine.length);
  };
}

export function applyEdit(dir: string, edit: Edit): void {
  for (const [name, change] of Object.entries(edit.files ?? {})) {
    writeFileSync(join(dir, name), change(readFileSync(join(dir, name), 'utf8')));
  }
  for (const name of edit.remove ?? []) rmSync(join(dir, name));
  for (const [name, text] of Object.entries(edit.add ?? {})) writeFileSync(join(dir, name), text);
}

export const EDITS: readonly Edit[] = [
  {
    name: 'reformatted and reordered, same meaning',
    files: {
      'ltx.yaml': all(
        swap('  retry: { jitter: 0.5 }', '  retry:\n    jitter: 0.5 # the same rule, written as a block'),
        swap('        status: 401\n        category: authentication\n', '        category: "authentication"\n        status: 401\n'),
        moveToTop('service_unavailable', '    codes:\n'),
      ),
      // Sources are a table by key; sub-type patterns, a set.
      'evolink.yaml': swap(
        '  http: { document: sources/evolink-http-errors.txt, title: Error Codes (HTTP) }\n  tasks: { document: sources/evolink-task-errors.txt, title: Async task error codes }\n',
        '  tasks: { document: sources/evolink-task-errors.txt, title: Async task error codes }\n  http: { document: sources/evolink-http-errors.txt, title: Error Codes (HTTP) }\n',
      ),
    },
    expect: [],
    level: 'none',
  },
  {
    name: 'a retry rule rewritten with the same waits',
    files: { 'evolink.yaml': swap('retry: { strategy: constant, baseMs: 5000, maxMs: 5000, maxAttempts: 2 }', 'retry: { strategy: exponential, baseMs: 5000, maxMs: 5000, maxAttempts: 2 }') },
    expect: [],
    level: 'none',
  },
  {
    name: "a provider's network default that restates its category's rule",
    files: { 'ltx.yaml': swap('  retry: { jitter: 0.5 }\n', '  retry: { jitter: 0.5 }\n  networkRetry: { jitter: 0.5 }\n') },
    expect: [],
    level: 'none',
  },
  {
    name: 'a code removed',
    files: {
      'ltx.yaml': all(
        cutCode('content_filtered_error').cut,
        swap(/\n {6}- name: a failed job carries an HTTP error type\n(?: {8}.*\n)+/, '\n'),
      ),
    },
    expect: ['breaking code-removed ltx', 'breaking status-removed ltx', 'docs example-removed ltx'],
    level: 'breaking',
  },
  // A renamed code is one change: its examples and the status entries that follow it are compared
  // under its new name.
  {
    name: 'a code renamed',
    files: {
      'ltx.yaml': all(
        swap('      not_found_error:', '      resource_not_found_error:'),
        swap('error: { type: not_found_error,', 'error: { type: resource_not_found_error,'),
      ),
    },
    // Its unnamed example is named after the code: the same example, whose body changed.
    expect: ['breaking code-renamed ltx', 'docs example-changed ltx'],
    counts: { 'breaking code-renamed ltx': 1, 'docs example-changed ltx': 1 },
    level: 'breaking',
    lines: ['breaking: code not_found_error renamed to resource_not_found_error (same status and outcome)', 'docs: example "resource_not_found_error example 1" changed'],
  },
  {
    name: 'a code renamed, its example as it was',
    files: { 'ltx.yaml': swap('      not_found_error:', '      resource_not_found_error:') },
    expect: ['breaking code-renamed ltx'],
    counts: { 'breaking code-renamed ltx': 1 },
    level: 'breaking',
  },
  {
    name: 'a code with a named example renamed',
    files: {
      'ltx.yaml': all(
        swap('      request_too_large:', '      payload_too_large_error:'),
        swap('error: { type: request_too_large,', 'error: { type: payload_too_large_error,'),
      ),
    },
    expect: ['breaking code-renamed ltx', 'docs example-changed ltx'],
    counts: { 'docs example-changed ltx': 1 },
    level: 'breaking',
    lines: ['docs: example "in case the infrastructure ever answers with the JSON envelope" changed'],
  },
  {
    name: 'a code renamed and its status-table entry with it',
    files: {
      'ltx.yaml': all(
        swap('      rate_limit_error:', '      throttled_error:'),
        swap('      429: { code: rate_limit_error }', '      429: { code: throttled_error }'),
      ),
    },
    expect: ['breaking code-renamed ltx'],
    counts: { 'breaking code-renamed ltx': 1 },
    level: 'breaking',
    lines: ['breaking: code rate_limit_error renamed to throttled_error (same status and outcome)'],
  },
  {
    name: 'a code renamed and its status-table entry moved to another code',
    files: {
      'ltx.yaml': all(
        swap('      rate_limit_error:', '      throttled_error:'),
        swap('error: { type: rate_limit_error,', 'error: { type: throttled_error,'),
        swap('      429: { code: rate_limit_error }', '      429: { code: concurrency_limit_error }'),
        swap('expect: { category: rate_limited, retryable: true, action: reduce_rate, code: quota_error,', 'expect: { category: concurrency_limited, retryable: true, action: reduce_concurrency, code: quota_error,'),
      ),
    },
    // The renamed code's example and the layer's 429 example both changed.
    expect: ['breaking code-renamed ltx', 'breaking status-changed ltx', 'docs example-changed ltx'],
    counts: { 'breaking status-changed ltx': 1, 'docs example-changed ltx': 2 },
    level: 'breaking',
    lines: ['breaking: status 429: code rate_limit_error → code concurrency_limit_error'],
  },
  {
    name: "a code's category",
    files: {
      'ltx.yaml': all(
        swap('        status: 401\n        category: authentication', '        status: 401\n        category: permission'),
        swap('expect: { category: authentication, retryable: false, action: fix_credentials, known: true, conforms: true }', 'expect: { category: permission, retryable: false, action: request_access, known: true, conforms: true }'),
      ),
    },
    expect: ['breaking category-changed ltx', 'breaking action-changed ltx', 'docs example-changed ltx'],
    level: 'breaking',
    lines: ['code authentication_error: category authentication → permission'],
  },
  {
    name: "a code's action, which its sub-types inherit",
    files: {
      'evolink.yaml': (text) =>
        swap('        category: invalid_request\n        description: Request parameters do not meet model requirements.', '        category: invalid_request\n        action: contact_support\n        description: Request parameters do not meet model requirements.')(text)
          .replace(/(error: \{ code: invalid_parameters, [^\n]*\n {12}expect: \{ category: invalid_request, retryable: false, action: )fix_request/g, '$1contact_support'),
    },
    // Once, on the code: not again on each sub-type that means what the code means, nor on
    // file_too_large, whose own category keeps its own action.
    expect: ['breaking action-changed evolink', 'docs example-changed evolink'],
    counts: { 'breaking action-changed evolink': 1 },
    level: 'breaking',
  },
  {
    name: "a sub-type's own suggestion",
    files: { 'evolink.yaml': swap('            contains: file size exceeds\n            category: payload_too_large\n', '            contains: file size exceeds\n            category: payload_too_large\n            suggestion: Shrink the file below 10 MB.\n') },
    expect: ['docs suggestion-changed evolink'],
    level: 'docs',
  },
  {
    name: "a code's retryable",
    files: {
      'ltx.yaml': all(
        swap('        category: overloaded\n        description: Service temporarily unavailable.', '        category: overloaded\n        retryable: false\n        action: contact_support\n        description: Service temporarily unavailable.'),
        swap('expect: { category: overloaded, retryable: true, action: retry_later }', 'expect: { category: overloaded, retryable: false, action: contact_support }'),
      ),
    },
    expect: ['breaking retryable-changed ltx', 'breaking action-changed ltx', 'docs example-changed ltx'],
    level: 'breaking',
  },
  {
    name: "a code's status",
    files: { 'ltx.yaml': swap('      content_filtered_error:\n        status: 422', '      content_filtered_error:\n        status: 451') },
    expect: ['breaking code-status-changed ltx', 'breaking status-removed ltx', 'additive status-added ltx'],
    level: 'breaking',
  },
  {
    name: 'a status-table entry',
    files: {
      'ltx.yaml': all(
        swap('      429: { code: rate_limit_error }', '      429: { code: concurrency_limit_error }'),
        swap('expect: { category: rate_limited, retryable: true, action: reduce_rate, code: quota_error,', 'expect: { category: concurrency_limited, retryable: true, action: reduce_concurrency, code: quota_error,'),
      ),
    },
    expect: ['breaking status-changed ltx', 'docs example-changed ltx'],
    level: 'breaking',
  },
  {
    name: "a category's fault",
    files: { 'taxonomy.yaml': swap('    description: Too many requests in the current window.\n    fault: caller', '    description: Too many requests in the current window.\n    fault: provider') },
    expect: ['breaking category-fault-changed'],
    level: 'breaking',
  },
  {
    name: 'an envelope field made required',
    files: { 'wubble.yaml': swap('      required: [success, error]', '      required: [success, data, error]') },
    expect: ['breaking envelope-narrowed wubble'],
    level: 'breaking',
    lines: ['envelope WubbleHttpError: field data is now required'],
  },
  {
    name: 'an envelope field removed',
    files: { 'wubble.yaml': swap('            active_requests: { type: integer, description: Jobs running now (CONCURRENT_GENERATION_LIMIT). }\n', '') },
    expect: ['breaking envelope-narrowed wubble'],
    level: 'breaking',
  },
  {
    name: 'a required envelope field removed',
    files: {
      'wubble.yaml': all(
        swap('          required: [code, message]\n          properties:\n            code: { type: string, description: The identifier errspec classifies by. }\n            message: { type: string }\n', '          required: [code]\n          properties:\n            code: { type: string, description: The identifier errspec classifies by. }\n'),
      ),
    },
    expect: ['breaking envelope-narrowed wubble'],
    counts: { 'breaking envelope-narrowed wubble': 1 },
    level: 'breaking',
    lines: ['envelope WubbleHttpError: field error.message removed'],
  },
  {
    name: 'the package renamed',
    files: { 'package.yaml': swap('name: "@errspec/errors"', 'name: "@acme/errors"') },
    expect: ['breaking package-renamed'],
    level: 'breaking',
    lines: ['package renamed: @errspec/errors → @acme/errors (every import changes)'],
  },
  {
    name: 'a network message mapped',
    files: { 'taxonomy.yaml': swap('    - { contains: socket hang up, category: network }\n', '    - { contains: socket hang up, category: network }\n    - { contains: connection refused by peer, category: network }\n') },
    expect: ['additive network-mapping-added'],
    level: 'additive',
  },
  {
    name: 'an enum narrowed',
    files: { 'ltx.yaml': swap('status: { type: string, enum: [pending, processing, completed, failed] }', 'status: { type: string, enum: [pending, completed, failed] }') },
    expect: ['breaking envelope-narrowed ltx'],
    level: 'breaking',
    lines: ['envelope LtxJob: field status no longer allows "processing"'],
  },
  {
    name: 'a sub-type removed',
    files: {
      'evolink.yaml': all(
        swap("          - { id: video_duration, description: Video duration outside model's supported range, contains: video duration must be between }\n", ''),
        swap('action: fix_request, subtype: video_duration }', 'action: fix_request, subtype: null }'),
      ),
    },
    expect: ['breaking subtype-removed evolink', 'docs example-changed evolink'],
    level: 'breaking',
  },
  {
    name: 'a provider removed',
    remove: ['foxapi.yaml'],
    expect: ['breaking provider-removed foxapi'],
    level: 'breaking',
  },
  {
    name: 'a retry rule waits less',
    files: { 'evolink.yaml': swap('        retry: { minWaitMs: 30000 }\n', '        retry: { minWaitMs: 5000 }\n') },
    expect: ['behaviour retry-changed evolink'],
    level: 'behaviour',
    lines: ['attempt 1: ≥30 s, ≤37.5 s → ≥5 s, ≤6.3 s'],
  },
  {
    name: 'a retry wait 40 ms longer',
    files: { 'evolink.yaml': swap('        retry: { minWaitMs: 30000 }\n', '        retry: { minWaitMs: 30040 }\n') },
    expect: ['behaviour retry-changed evolink'],
    level: 'behaviour',
    lines: ['attempt 1: ≥30000 ms, ≤37500 ms → ≥30040 ms, ≤37550 ms'],
  },
  {
    name: 'a Retry-After policy',
    files: { 'taxonomy.yaml': swap('retryAfter: { capMs: 300000, overCap: stop } }\n  concurrency_limited:', 'retryAfter: { capMs: 300000, overCap: cap } }\n  concurrency_limited:') },
    expect: ['behaviour retry-changed', ...inheritingRateLimitCeiling().map((id) => `behaviour retry-changed ${id}`)],
    level: 'behaviour',
    lines: ['Retry-After: honoured up to 5 min, longer ones stop retrying → honoured up to 5 min, longer ones wait 5 min'],
  },
  {
    name: 'a sub-type pattern',
    files: { 'evolink.yaml': swap('contains: prompt is too long }', 'contains: [prompt is too long, prompt exceeds] }') },
    expect: ['behaviour subtype-pattern-changed evolink'],
    level: 'behaviour',
    lines: ['sub-type prompt_too_long: matches "prompt is too long" → "prompt is too long" or "prompt exceeds"'],
  },
  {
    name: 'a poll cadence',
    files: { 'evolink.yaml': swap('      intervalMs: 3000\n', '      intervalMs: 10000\n') },
    expect: ['behaviour poll-cadence-changed evolink'],
    level: 'behaviour',
    lines: ['every 3 s, for at most 15 min → every 10 s, for at most 15 min'],
  },
  {
    name: 'a concurrency limit and an idempotency header',
    files: { 'wubble.yaml': all(swap('    limit: 1\n', '    limit: 2\n'), swap('    name: Idempotency-Key\n', '    name: X-Idempotency-Key\n')) },
    expect: ['behaviour concurrency-limit-changed wubble', 'behaviour idempotency-header-changed wubble'],
    level: 'behaviour',
  },
  {
    name: 'verdict headers and request id places',
    files: {
      'ltx.yaml': swap(
        '      message: error.message\n    # Each code',
        '      message: error.message\n      requestId: [header:x-ltx-request-id, header:x-request-id]\n    verdicts:\n      - header: x-should-retry\n        values: { "false": { retryable: false } }\n        source: errors\n    # Each code',
      ),
    },
    expect: ['behaviour verdicts-changed ltx', 'behaviour request-id-changed ltx'],
    level: 'behaviour',
    lines: ['headers that decide whether to retry: (none) → x-should-retry: `false` final'],
  },
  {
    name: 'stated waits read from the message too',
    files: {
      'ltx.yaml': swap(
        '      message: error.message\n    # Each code',
        '      message: error.message\n    retryAfter:\n      - { at: header:retry-after, format: http_retry_after }\n      - { at: error.message, format: duration, pattern: "try again in (\\\\d+m?s)" }\n    # Each code',
      ),
    },
    expect: ['behaviour retry-after-changed ltx'],
    level: 'behaviour',
    lines: ['where the wait the server states is read: `header:retry-after-ms` (milliseconds), then `header:retry-after` (http retry after) → `header:retry-after` (http retry after), then `error.message` matching `/try again in (\\d+m?s)/i` (duration)'],
  },
  {
    name: 'a running status marked queued',
    files: { 'evolink.yaml': swap('      running: [pending, processing]\n', '      running: [processing]\n      queued: [pending]\n') },
    expect: ['docs task-state-changed evolink'],
    level: 'docs',
    lines: ['task status "pending": running → queued'],
  },
  {
    name: 'a progress scale, and a status for a body without one',
    files: { 'evolink.yaml': all(swap('      running: [pending, processing]\n', '      running: [pending, processing]\n      absent: pending\n'), swap('    fields:\n      code: [error.code]\n      message: error.message\n      taskId: id\n', '    progressScale: 1\n    fields:\n      code: [error.code]\n      message: error.message\n      taskId: id\n')) },
    expect: ['behaviour task-status-absent-changed evolink', 'behaviour progress-changed evolink'],
    level: 'behaviour',
    lines: ['progress scale: 0–100 → 0–1'],
  },
  {
    name: 'the HTTP status of the status request decides, and the next wait is stated',
    files: {
      'evolink.yaml': all(
        swap('      running: [pending, processing]\n', '      running: [pending, processing]\n      http: { 202: running }\n'),
        swap('      intervalMs: 3000\n', '      intervalMs: 3000\n      after: [{ at: header:x-poll-after-ms, format: milliseconds }]\n'),
      ),
    },
    expect: ['behaviour task-http-states-changed evolink', 'behaviour poll-after-changed evolink'],
    level: 'behaviour',
    lines: ['where a status response states the next wait: (none) → `header:x-poll-after-ms` (milliseconds)'],
  },
  {
    name: 'a 2xx response and a completed task that fail, and a result fetched apart',
    files: {
      'evolink.yaml': all(
        swap('    codes:\n      invalid_request_error:', '    softFailures:\n      - { when: { at: header:finish-reason, is: [CONTENT_FILTERED] }, code: invalid_request_error, source: http }\n    codes:\n      invalid_request_error:'),
        swap('    codes:\n      content_policy_violation:', '    softFailures:\n      - { when: { at: results, empty: true }, code: generation_failed_no_content, source: tasks }\n    result: { url: "results[0]", source: tasks }\n    codes:\n      content_policy_violation:'),
      ),
    },
    expect: ['behaviour soft-failures-changed evolink', 'behaviour task-result-changed evolink'],
    level: 'behaviour',
    lines: [
      'a 2xx response fails: (none) → when `header:finish-reason` is `CONTENT_FILTERED`: `invalid_request_error`',
      'a completed task fails: (none) → when `results` is empty or absent: `generation_failed_no_content`',
    ],
  },
  {
    name: 'a header every request carries',
    files: { 'ltx.yaml': swap('sending:\n', 'sending:\n  headers: [{ name: X-Api-Version, value: "2025-01-01", source: errors }]\n') },
    expect: ['behaviour request-headers-changed ltx'],
    level: 'behaviour',
    lines: ['headers every request carries: (none) → `X-Api-Version: 2025-01-01`'],
  },
  {
    name: 'no idempotency key, no longer stated',
    files: { 'ltx.yaml': swap('  idempotencyHeader:\n    none: true\n    source: facts\n    note: There is no idempotency key; a resubmitted generation is a new billable job.\n', '') },
    expect: ['docs sending-docs-changed ltx'],
    level: 'docs',
  },
  {
    name: 'a new code',
    files: {
      'ltx.yaml': swap(
        '      not_found_error:',
        '      quota_exceeded_error:\n        status: 429\n        category: rate_limited\n        description: Monthly quota exceeded.\n        source: errors\n      not_found_error:',
      ),
    },
    expect: ['additive code-added ltx'],
    level: 'additive',
  },
  {
    name: 'a new sub-type and an optional envelope field',
    files: {
      'evolink.yaml': swap(
        "          - { id: video_duration, description: Video duration outside model's supported range, contains: video duration must be between }\n",
        "          - { id: video_duration, description: Video duration outside model's supported range, contains: video duration must be between }\n          - { id: audio_duration, description: Audio too long, contains: audio duration must be between }\n",
      ),
      'wubble.yaml': swap('            message: { type: string }\n', '            message: { type: string }\n            help_url: { type: string }\n'),
    },
    expect: ['additive subtype-added evolink', 'additive envelope-widened wubble'],
    level: 'additive',
  },
  {
    name: 'a new provider',
    add: {
      'acme.yaml': `provider: acme
name: Acme
sources:
  errors: { document: sources/ltx-errors.txt }
layers:
  http:
    envelope:
      title: AcmeHttpError
      type: object
      required: [error]
      properties:
        error: { type: string }
    fields:
      code: [error]
    codes:
      bad_input:
        status: 400
        category: invalid_request
        description: Bad input.
        source: errors
`,
    },
    expect: ['additive provider-added acme'],
    level: 'additive',
  },
  {
    name: 'a description',
    files: { 'ltx.yaml': swap('description: Unexpected server error.', 'description: An unexpected error on the server.') },
    expect: ['docs description-changed ltx'],
    level: 'docs',
  },
  {
    name: 'a suggestion, a note and a source',
    files: {
      'evolink.yaml': swap('        Seed 001\'s own example polls every 3 s.', '        Seed 001\'s example polls every 3 seconds.'),
      'ltx.yaml': all(
        swap('suggestion: Retry with backoff; there is no idempotency key', 'suggestion: Retry later, with backoff; there is no idempotency key'),
        swap('note: Comes with a Retry-After header in seconds (facts); there are no X-RateLimit-* headers.', 'note: Comes with a Retry-After header in seconds (facts).'),
        swap('      content_filtered_error:\n        status: 422\n        category: content_policy\n        description: Content rejected by safety filters.\n        source: errors', '      content_filtered_error:\n        status: 422\n        category: content_policy\n        description: Content rejected by safety filters.\n        source: facts'),
      ),
    },
    expect: ['docs task-docs-changed evolink', 'docs suggestion-changed ltx', 'docs note-changed ltx', 'docs source-changed ltx'],
    level: 'docs',
  },
  {
    name: "notes on the official SDK (a code's, a status's, and the one for statuses left to the taxonomy)",
    files: {
      'openai.yaml': all(
        swap('openai-node retries every 429 (twice, by default), this one too,', 'openai-node retries every 429, twice by default, this one too,'),
        swap('after a 409, which it reads as a lock', 'after a 409, which it takes for a lock'),
        swap('after a 502, 503 or 504 this file leaves to', 'after a 502, 503 or 504 that this file leaves to'),
      ),
    },
    expect: ['docs sdk-note-changed openai'],
    counts: { 'docs sdk-note-changed openai': 3 },
    level: 'docs',
    lines: ['code insufficient_quota: official SDK note changed'],
  },
];
