/**
 * The shape of spec files once they pass spec/schema/*.schema.json. The schema is the authority;
 * these types let later stages read validated values without casts scattered through them.
 */

import type { WaitFormat } from './runtime/types.js';

export interface RetryRuleSpec {
  readonly strategy?: 'exponential' | 'constant';
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly maxAttempts?: number;
  readonly minWaitMs?: number;
  readonly jitter?: number;
  readonly retryAfter?: { readonly capMs?: number; readonly overCap?: 'cap' | 'stop' };
}

export interface TaxonomySpec {
  readonly actions: Readonly<Record<string, string>>;
  readonly categories: Readonly<Record<string, CategorySpec>>;
  readonly statusFallback: {
    readonly exact: Readonly<Record<string, string>>;
    readonly ranges: Readonly<Record<string, string>>;
    readonly otherwise: string;
  };
  readonly network: {
    /** Codes and names that prove no connection was made. */
    readonly unprocessed?: readonly string[];
    readonly codes: Readonly<Record<string, string>>;
    readonly names: Readonly<Record<string, string>>;
    readonly messages: readonly { readonly contains: string; readonly category: string }[];
  };
}

export interface CategorySpec {
  readonly description: string;
  readonly fault: 'caller' | 'provider' | 'network' | 'unknown';
  readonly retryable: boolean;
  readonly action: string;
  readonly retry?: RetryRuleSpec;
  readonly unprocessed?: boolean;
}

export interface OutcomeSpec {
  readonly category?: string;
  readonly action?: string;
  readonly retryable?: boolean;
  readonly retry?: RetryRuleSpec;
  readonly description?: string;
  readonly suggestion?: string;
  readonly note?: string;
  readonly unprocessed?: boolean;
}

export interface CodeSpec extends OutcomeSpec {
  readonly category: string;
  /** Where the provider's official SDK acts otherwise on this failure, and why errspec does not. */
  readonly sdk?: string;
  readonly description: string;
  readonly source: string;
  readonly status?: number;
  readonly subtypes?: readonly SubtypeSpec[];
  readonly examples?: readonly ExampleSpec[];
}

export interface SubtypeSpec extends OutcomeSpec {
  readonly id: string;
  readonly description: string;
  readonly contains?: string | readonly string[];
  readonly regex?: string;
}

export interface StatusEntrySpec extends OutcomeSpec {
  readonly code?: string;
  readonly sdk?: string;
  readonly source?: string;
}

export interface FieldsSpec {
  /** Field paths, and (HTTP only) `header:<name>` places. */
  readonly code: string | readonly string[];
  /** HTTP only: where the request id is, in order (`header:<name>` or field paths). */
  readonly requestId?: string | readonly string[];
  /** The rest: one path, or a list tried in order (the first non-empty text wins). */
  readonly message?: string | readonly string[];
  readonly param?: string | readonly string[];
  readonly suggestion?: string | readonly string[];
  readonly subtype?: string | readonly string[];
}

export interface ExpectSpec {
  readonly category: string;
  readonly action?: string;
  readonly retryable?: boolean;
  readonly code?: string | null;
  readonly known?: boolean;
  readonly conforms?: boolean;
  readonly message?: string;
  readonly param?: string | null;
  readonly subtype?: string | null;
  readonly suggestion?: string | null;
  readonly retryAfterMs?: number | null;
  readonly requestId?: string | null;
}

export interface ExampleSpec {
  readonly name?: string;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly text?: string;
  readonly expect: ExpectSpec | null;
}

export type JsonSchema = { readonly title: string } & Readonly<Record<string, unknown>>;

export interface HttpLayerSpec {
  readonly envelope: JsonSchema;
  readonly fields: FieldsSpec;
  readonly statuses?: Readonly<Record<string, StatusEntrySpec>>;
  readonly codes: Readonly<Record<string, CodeSpec>>;
  readonly examples?: readonly ExampleSpec[];
  /** Where the official SDK acts otherwise on a failure no entry reads, and why errspec does not. */
  readonly sdk?: string;
  readonly verdicts?: readonly VerdictSpec[];
  readonly retryAfter?: readonly WaitPlaceSpec[];
  readonly softFailures?: readonly SoftFailureSpec[];
}

/** A 2xx response or a completed task whose content says it failed, and the code it is. */
export interface SoftFailureSpec {
  /** One condition or several, all of which must hold. */
  readonly when: ConditionSpec | readonly ConditionSpec[];
  /** A declared code; left out, the value the first condition reads is the code. */
  readonly code?: string;
  /** The body path of the failure's message. */
  readonly message?: string;
  readonly source: string;
  readonly note?: string;
}

/** A test of the value at a header or body path: exactly one of `is`, `above`, `empty`. */
export interface ConditionSpec {
  readonly at: string;
  readonly is?: readonly StatusValue[];
  readonly above?: number;
  readonly empty?: boolean;
}

/** A place the server states how long to wait: a header or a body path, in a named format. */
export interface WaitPlaceSpec {
  readonly at: string;
  readonly format: WaitFormat;
  /** A regex whose first group (else whole match) is the wait, in a text such as the message. */
  readonly pattern?: string;
  readonly note?: string;
}

/** A response header whose value decides whether a failure is worth retrying, over its code and status. */
export interface VerdictSpec {
  readonly header: string;
  /** Each value (any case) and what it decides. */
  readonly values: Readonly<Record<string, { readonly retryable: boolean; readonly action?: string }>>;
  readonly source: string;
  readonly note?: string;
}

/** A fact with its source: `{ source, note? }` plus its value. */
interface Sourced {
  readonly source: string;
  readonly note?: string;
}

export interface TaskFieldsSpec extends Omit<FieldsSpec, 'code'> {
  readonly code?: string | readonly string[];
  readonly taskId: string | readonly string[];
  readonly progress?: string;
}

export interface PollSpec extends Sourced {
  readonly intervalMs: number;
  readonly growth?: number;
  readonly maxIntervalMs?: number;
  readonly timeoutMs: number;
  readonly eta?: string;
  /** Where a status response states the wait before the next status request, tried in order. */
  readonly after?: readonly WaitPlaceSpec[];
}

export interface TaskLayerSpec {
  readonly envelope: JsonSchema;
  readonly status: {
    readonly field: string;
    readonly failed?: readonly StatusValue[];
    readonly cancelled?: readonly StatusValue[];
    readonly completed?: readonly StatusValue[];
    readonly running?: readonly StatusValue[];
    readonly queued?: readonly StatusValue[];
    readonly ended?: readonly StatusValue[];
    /** The value a body without the field has (Google's `done: false`, which proto3 JSON leaves out). */
    readonly absent?: StatusValue;
    /** HTTP statuses of the status request that say where the task stands, over its body (202 running, 200 completed). */
    readonly http?: Readonly<Record<string, (typeof STATUS_CLASSES)[number]>>;
  };
  /** The progress value that means done: 100 (a percentage, the default) or 1 (a fraction). */
  readonly progressScale?: number;
  readonly fields: TaskFieldsSpec;
  readonly submit: Sourced & { readonly taskId: string | readonly string[] };
  readonly poll: PollSpec;
  readonly codes?: Readonly<Record<string, CodeSpec>>;
  readonly codesFrom?: 'http';
  readonly examples?: readonly ExampleSpec[];
  readonly softFailures?: readonly SoftFailureSpec[];
  /** Where a completed task's body gives the URL its result is fetched from (fal's `response_url`). */
  readonly result?: Sourced & { readonly url: string };
}

/** The classes a task status may be listed under, in the order the spec, README and site show them. */
export const STATUS_CLASSES = ['failed', 'cancelled', 'completed', 'ended', 'running', 'queued'] as const;

/** A status value as a provider sends it: a word, a flag (`done: true`) or a number. */
export type StatusValue = string | boolean | number;

export interface ProviderSpec {
  readonly provider: string;
  readonly name: string;
  readonly sources: Readonly<Record<string, { readonly document: string; readonly title?: string }>>;
  readonly defaults?: { readonly retry?: RetryRuleSpec; readonly networkRetry?: RetryRuleSpec };
  readonly sending?: {
    /** The header the provider honours to recognise a resent request, or `none: true`: its documents say it honours none. */
    readonly idempotencyHeader?: Sourced & ({ readonly name: string; readonly none?: never } | { readonly none: true; readonly name?: never });
    readonly concurrency?: Sourced & { readonly limit: number };
    /** Headers every request to the provider carries (Runway's X-Runway-Version), unless the caller sets them. */
    readonly headers?: readonly (Sourced & { readonly name: string; readonly value: string })[];
  };
  readonly layers: { readonly http: HttpLayerSpec; readonly task?: TaskLayerSpec };
}

/** spec/package.yaml: settings of the generated package; every field optional. */
export interface PackageSpec {
  readonly name?: string;
  /** `keep`: a release tool owns the version in the output folder's package.json. */
  readonly version?: string;
  readonly description?: string;
  readonly license?: string;
  readonly private?: boolean;
  readonly author?: string;
  readonly homepage?: string;
  readonly keywords?: readonly string[];
  readonly repository?: string | { readonly type: string; readonly url: string; readonly directory?: string };
}
