/**
 * Classifying thrown values: fetch, undici and Node network errors, AbortError, TimeoutError, or
 * anything else. Always source 'network': no HTTP response arrived.
 */
import { categoryOutcome } from './outcome.js';
import type { ClassifiedErrorOf, NetworkTable, TaxonomyTable, Vocabulary } from './types.js';

/** How far to follow `cause`; real chains are two or three links long. */
const MAX_CAUSES = 8;

interface Link {
  readonly name: string | null;
  readonly code: string | null;
  readonly message: string | null;
}

export function classifyException<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  network: NetworkTable<V>,
  error: unknown,
  provider: V['provider'] | null,
): ClassifiedErrorOf<V> {
  const chain = causeChain(error);
  const found = recognise(taxonomy, network, chain);
  const outcome = categoryOutcome(taxonomy, found.category);
  const message = chain[0]?.message ?? (typeof error === 'string' && error !== '' ? error : null);
  return {
    provider,
    source: 'network',
    status: null,
    code: found.code,
    known: found.known,
    conforms: false,
    category: outcome.category,
    retryable: outcome.retryable,
    action: outcome.action,
    message: message ?? outcome.description,
    param: null,
    subtype: null,
    suggestion: outcome.suggestion,
    retryAfterMs: null,
    requestId: null,
  };
}

function recognise<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  { codes, names, messages }: NetworkTable<V>,
  chain: readonly Link[],
): { category: V['category']; code: string | null; known: boolean } {
  // The outermost recognised link wins: an AbortError caused by a reset socket was still an abort.
  for (const link of chain) {
    const byCode = link.code === null ? undefined : codes.get(link.code);
    if (byCode !== undefined) return { category: byCode, code: link.code, known: true };
    const byName = link.name === null ? undefined : names.get(link.name);
    if (byName !== undefined) return { category: byName, code: link.name, known: true };
  }
  const firstCode = chain.find((link) => link.code !== null)?.code ?? null;
  for (const link of chain) {
    if (link.message === null) continue;
    const lower = link.message.toLowerCase();
    const hit = messages.find((m) => lower.includes(m.contains));
    if (hit) return { category: hit.category, code: firstCode, known: false };
  }
  return { category: taxonomy.statusFallback.otherwise, code: firstCode, known: false };
}

/** The error and its causes, each read once and defensively; cycles end the walk. */
function causeChain(error: unknown): Link[] {
  const links: Link[] = [];
  const seen = new Set<unknown>();
  let current = error;
  while (typeof current === 'object' && current !== null && !seen.has(current) && links.length < MAX_CAUSES) {
    seen.add(current);
    links.push({
      name: readText(current, 'name'),
      code: readText(current, 'code'),
      message: readText(current, 'message'),
    });
    current = readProperty(current, 'cause');
  }
  return links;
}

function readText(target: object, key: string): string | null {
  const value = readProperty(target, key);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Own or inherited (Error.prototype.name) properties, but never a throw. */
function readProperty(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The classification of a call the caller cancelled (an aborted AbortSignal), whatever its reason. */
export function cancelledError<V extends Vocabulary>(taxonomy: TaxonomyTable<V>, provider: V['provider'] | null): ClassifiedErrorOf<V> {
  return decidedError(taxonomy, provider, 'network', taxonomy.cancelled, 'The caller aborted the call.');
}

/**
 * A failure the caller's side decided, with nothing read from a provider: a cancellation, a body
 * that cannot be read as what it should be, a limiter's store that failed. The category gives
 * the action, and whether it is retryable when `resendable` (nothing was sent, so sending it again
 * later is as safe as its category says); otherwise it is not worth retrying as it stands.
 */
export function decidedError<V extends Vocabulary>(
  taxonomy: TaxonomyTable<V>,
  provider: V['provider'] | null,
  source: 'http' | 'network',
  category: V['category'],
  message: string,
  resendable = false,
): ClassifiedErrorOf<V> {
  const outcome = categoryOutcome(taxonomy, category);
  return {
    provider,
    source,
    status: null,
    code: null,
    known: false,
    conforms: false,
    category: outcome.category,
    retryable: resendable && outcome.retryable,
    action: outcome.action,
    message,
    param: null,
    subtype: null,
    suggestion: null,
    retryAfterMs: null,
    requestId: null,
  };
}
