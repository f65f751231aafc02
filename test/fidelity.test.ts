/**
 * Fidelity to the seeds: every identifier a seed names is declared, with the status and category
 * the seed gives it. These lists are copied from the documents in spec/sources by hand, independently of the spec files.
 */
import { describe, expect, it } from 'vitest';
import { evolinkHttpCodes, evolinkTaskCodes } from '../generated/evolink/index.js';
import { foxapiHttpCodes, foxapiTaskCodes } from '../generated/foxapi/index.js';
import { ltxHttpCodes, ltxTaskCodes } from '../generated/ltx/index.js';
import { wubbleHttpCodes } from '../generated/wubble/index.js';
import { classifyResponse, classifyTask, retryDelayMs } from '../generated/index.js';

describe('seed 000 (Evolink HTTP)', () => {
  const types: [string, number, string][] = [
    ['invalid_request_error', 400, 'invalid_request'],
    ['authentication_error', 401, 'authentication'],
    ['insufficient_quota_error', 402, 'insufficient_credits'],
    ['permission_error', 403, 'permission'],
    ['not_found_error', 404, 'not_found'],
    ['request_too_large_error', 413, 'payload_too_large'],
    ['rate_limit_error', 429, 'rate_limited'],
    ['internal_server_error', 500, 'server_error'],
    ['upstream_error', 502, 'upstream_unavailable'],
    ['service_unavailable_error', 503, 'overloaded'],
  ];
  it('declares every type', () => expect([...evolinkHttpCodes].sort()).toEqual(types.map(([t]) => t).sort()));
  it.each(types)('%s (%i) is %s, also when only the status is known', (type, status, category) => {
    expect(classifyResponse('evolink', { status, body: { error: { code: status, message: 'm', type } } }).category).toBe(category);
    expect(classifyResponse('evolink', { status, body: '<html>gateway</html>' }).category).toBe(category);
  });
  it('waits at least 30 s on a 503 (the seed says "retry after 30 seconds")', () => {
    const error = classifyResponse('evolink', { status: 503 });
    for (const attempt of [1, 2, 3]) expect(retryDelayMs(error, attempt, { random: () => 0 })).toBeGreaterThanOrEqual(30_000);
  });
});

describe('seed 001 (Evolink tasks)', () => {
  const codes = [
    'content_policy_violation', 'invalid_parameters', 'image_processing_error', 'image_dimension_mismatch',
    'request_cancelled', 'generation_failed_no_content', 'service_error', 'generation_timeout',
    'resource_exhausted', 'quota_exceeded', 'service_unavailable', 'resource_not_found', 'unknown_error',
  ];
  it('declares every code', () => expect([...evolinkTaskCodes].sort()).toEqual([...codes].sort()));
  const failed = (code: string, message = 'm') => classifyTask('evolink', { id: 't', status: 'failed', error: { code, message } });
  it('keeps the seed\'s client errors unretryable and its "safe to retry" list retryable', () => {
    for (const code of ['content_policy_violation', 'invalid_parameters', 'image_processing_error', 'image_dimension_mismatch']) {
      expect(failed(code)?.retryable).toBe(false);
    }
    for (const code of ['generation_failed_no_content', 'service_error', 'generation_timeout', 'resource_exhausted', 'quota_exceeded']) {
      expect(failed(code)?.retryable).toBe(true);
    }
  });
  it('honours the stated minimum waits', () => {
    const wait = (code: string) => retryDelayMs(failed(code)!, 1, { random: () => 0 });
    expect(wait('resource_exhausted')).toBeGreaterThanOrEqual(60_000);
    expect(wait('quota_exceeded')).toBeGreaterThanOrEqual(1_000);
    expect(wait('service_error')).toBeGreaterThanOrEqual(30_000);
  });
  it.each([
    ['photorealistic people detected', 'photorealistic_people'],
    ['celebrity detected in image', 'celebrity_likeness'],
    ['third-party content violation', 'copyright_trademark'],
    ['nudity detected', 'adult_nsfw'],
    ['violence content blocked', 'violence_self_harm'],
    ['minor content not allowed', 'minor_protection'],
    ['content policy violation', 'general_policy'],
  ])('content policy sub-type from "%s"', (message, subtype) => {
    expect(failed('content_policy_violation', message)?.subtype).toBe(subtype);
  });
  it.each([
    ['Prompt is too long', 'prompt_too_long'],
    ['image dimensions must be between 240 and 7680', 'image_dimension'],
    ['file size exceeds 10MB', 'file_too_large'],
    ['unsupported file type', 'unsupported_format'],
    ['Video duration must be between 1-30 seconds', 'video_duration'],
  ])('invalid parameters sub-type from "%s"', (message, subtype) => {
    expect(failed('invalid_parameters', message)?.subtype).toBe(subtype);
  });
});

describe('seed 002 (LTX)', () => {
  const types = [
    'invalid_request_error', 'authentication_error', 'insufficient_funds_error', 'not_found_error',
    'request_too_large', 'content_filtered_error', 'rate_limit_error', 'concurrency_limit_error',
    'api_error', 'service_unavailable',
  ];
  it('declares every type, and failed jobs share them', () => {
    expect([...ltxHttpCodes].sort()).toEqual([...types].sort());
    expect(ltxTaskCodes).toEqual(ltxHttpCodes);
  });
  it('tells the two 429s apart by type and honours Retry-After', () => {
    const rate = classifyResponse('ltx', { status: 429, headers: { 'retry-after': '9' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'm' } } });
    const conc = classifyResponse('ltx', { status: 429, headers: { 'retry-after': '9' }, body: { type: 'error', error: { type: 'concurrency_limit_error', message: 'm' } } });
    expect([rate.category, conc.category]).toEqual(['rate_limited', 'concurrency_limited']);
    expect(retryDelayMs(rate, 1)).toBeGreaterThanOrEqual(9_000);
  });
});

describe('seed 003 (Wubble)', () => {
  it('declares every code the seed names', () => {
    expect([...wubbleHttpCodes].sort()).toEqual(
      ['CONCURRENT_GENERATION_LIMIT', 'FORBIDDEN', 'INSUFFICIENT_CREDITS', 'INVALID_EVENTS', 'INVALID_URL', 'SPENDING_LIMIT_EXCEEDED', 'invalid_request'].sort(),
    );
  });
  it.each([
    [400, 'invalid_request', false],
    [401, 'authentication', false],
    [402, 'insufficient_credits', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [429, 'rate_limited', true],
    [500, 'server_error', true],
  ])('status %i means %s (retryable %s)', (status, category, retryable) => {
    const result = classifyResponse('wubble', { status, body: { success: false, data: null, error: { code: 'SOMETHING_NEW', message: 'm' } } });
    expect([result.category, result.retryable]).toEqual([category, retryable]);
  });
});

describe('seed 004 (FoxAPI)', () => {
  it('declares every error type and task code', () => {
    expect([...foxapiHttpCodes].sort()).toEqual(
      ['authentication_error', 'invalid_request_error', 'not_found_error', 'permission_error', 'rate_limit_error', 'server_error'],
    );
    expect([...foxapiTaskCodes].sort()).toEqual(
      ['content_policy_violation', 'file_too_large', 'generation_failed', 'invalid_image_url', 'model_unavailable', 'timeout', 'unsupported_format'],
    );
  });
  it('maps 402, which has no type, through the status table', () => {
    expect(classifyResponse('foxapi', { status: 402, body: { error: { message: 'Insufficient account balance', type: 'x' } } }).category).toBe('insufficient_credits');
  });
});
