/**
 * Names the public contract fixes (the generated API; README, "The contract in short"). The taxonomy may not drop any of them,
 * because the generated `Category` and `Action` unions are promised to users.
 */
export const CONTRACT_CATEGORIES = [
  'invalid_request', 'authentication', 'permission', 'not_found', 'payload_too_large',
  'content_policy', 'insufficient_credits', 'rate_limited', 'concurrency_limited',
  'timeout', 'server_error', 'upstream_unavailable', 'overloaded', 'generation_failed',
  'cancelled', 'network', 'unknown',
] as const;

export const CONTRACT_ACTIONS = [
  'retry', 'retry_later', 'reduce_rate', 'reduce_concurrency', 'switch_model', 'resubmit',
  'fix_request', 'fix_content', 'fix_credentials', 'request_access', 'add_credits',
  'check_resource', 'contact_support',
] as const;

/** Contract rule 5: a Retry-After hint of up to 60 s is always honoured. */
export const MIN_RETRY_AFTER_CAP_MS = 60_000;

/** Provider ids become package subpaths and folders beside these. */
export const RESERVED_PROVIDER_IDS = ['index', 'runtime', 'taxonomy', 'package', 'node_modules'] as const;

/** Statuses below this are not failures: a code's status below it does not enter the status table. */
export const FIRST_FAILURE_STATUS = 400;
