/**
 * What sending to a provider must respect beyond its errors: an idempotency key it documents it
 * does not honour (so nothing that may have run is resent), and headers every request must carry
 * (Runway rejects a request without X-Runway-Version).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { providerPage } from '../generator/docs/provider-page.js';
import { recordingSleep, useScriptedServer, type ScriptedServer } from './executor-helpers.js';
import { generatedPackage, type PackageRoot } from './generic.js';
import { checkDir, diagnosticLines, rejection, removeDir, specFolder } from './helpers.js';
import type { ProviderError } from '../generated/index.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

let server: ScriptedServer;
useScriptedServer((s) => (server = s));

const VERSIONED = `format: 2
provider: versioned
name: Versioned
sources:
  api: { document: docs/api.md }
sending:
  idempotencyHeader: { none: true, source: api, note: The API reference documents no idempotency key. }
  headers:
    - { name: X-Api-Version, value: "2024-11-06", source: api, note: Requests without it are rejected. }
layers:
  http:
    envelope: { title: VersionedError, type: object, properties: { error: { type: string } } }
    fields: { code: error }
    codes: {}
  task:
    envelope: { title: VersionedTask, type: object, properties: { id: { type: string }, status: { type: string } } }
    status: { field: status, running: [RUNNING], completed: [SUCCEEDED], failed: [FAILED] }
    fields: { taskId: id }
    submit: { taskId: id, source: api }
    poll: { intervalMs: 1000, timeoutMs: 600000, source: api }
    codes: {}
`;

let built: Promise<{ root: PackageRoot; readme: string; page: string }> | undefined;
function generated(): Promise<{ root: PackageRoot; readme: string; page: string }> {
  built ??= generatedPackage({ 'versioned.yaml': VERSIONED }, made).then(({ root, readme, model }) => ({ root, readme, page: providerPage(model, model.providers[0]!).replace(/<wbr>/g, '') }));
  return built;
}

type RunTask = (provider: string, request: { submit: Request; poll: (id: string) => string | Request }, options?: object) => Promise<unknown>;
type FetchWithRetry = (provider: string, input: string | Request, init?: RequestInit, options?: object) => Promise<Response>;

describe('headers every request carries', () => {
  it('go with submits, status requests and plain calls, unless the caller sets its own', async () => {
    const { root, readme, page } = await generated();
    expect(readme).toContain('Sending: the provider documents no idempotency key: a POST that may have been processed is never resent; every request carries `X-Api-Version: 2024-11-06` unless it sets its own;');
    expect(page).toContain('Every request carries <code>X-Api-Version: 2024-11-06</code>, unless it sets its own. <span class="note">Requests without it are rejected.</span> (Source: api.)');
    expect(page).toContain('The provider documents no idempotency key: a POST that may have been processed is never resent. <span class="note">The API reference documents no idempotency key.</span> (Source: api.)');

    server.script('/v1/tasks', [{ status: 200, body: { id: 'v1' } }]);
    server.script('/v1/tasks/v1', [{ status: 200, body: { id: 'v1', status: 'RUNNING' } }, { status: 200, body: { id: 'v1', status: 'SUCCEEDED' } }]);
    const runTask = root.runTask as RunTask;
    const submit = new Request(`${server.base}/v1/tasks`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer k' } });
    expect(await runTask('versioned', { submit, poll: (id) => `${server.base}/v1/tasks/${id}` }, { sleep: recordingSleep().sleep })).toEqual({ id: 'v1', status: 'SUCCEEDED' });
    const seen = [...server.seen('/v1/tasks'), ...server.seen('/v1/tasks/v1')];
    expect(seen.map((s) => [s.method, s.headers['x-api-version']])).toEqual([['POST', '2024-11-06'], ['GET', '2024-11-06'], ['GET', '2024-11-06']]);
    expect(seen[0]!.headers.authorization).toBe('Bearer k');
    // No key is invented for a provider that honours none.
    expect(seen.some((s) => s.headers['idempotency-key'] !== undefined)).toBe(false);

    server.script('/v1/models', [{ status: 200, body: {} }]);
    const fetchWithRetry = root.fetchWithRetry as FetchWithRetry;
    await fetchWithRetry('versioned', `${server.base}/v1/models`);
    await fetchWithRetry('versioned', `${server.base}/v1/models`, { headers: { 'x-api-version': '2025-01-01' } });
    expect(server.seen('/v1/models').map((s) => s.headers['x-api-version'])).toEqual(['2024-11-06', '2025-01-01']);
  });

  it('a POST that may have run is not resent, and no key can be passed', async () => {
    const { root } = await generated();
    server.script('/v1/tasks', ['reset-after-body']);
    const fetchWithRetry = root.fetchWithRetry as FetchWithRetry;
    const error = await rejection<ProviderError>(fetchWithRetry('versioned', `${server.base}/v1/tasks`, { method: 'POST', body: '{}' }, { sleep: recordingSleep().sleep }));
    expect(error).toMatchObject({ giveUp: 'not_idempotent', attempts: 1 });
    await expect(fetchWithRetry('versioned', `${server.base}/v1/tasks`, { method: 'POST' }, { idempotencyKey: 'k1' })).rejects.toThrow(/declares no idempotency header for versioned/);
  });

  it('are checked: once each, never a credential or the idempotency header, no line breaks', () => {
    const dir = specFolder({
      'versioned.yaml': VERSIONED.replace(
        '    - { name: X-Api-Version, value: "2024-11-06", source: api, note: Requests without it are rejected. }\n',
        '    - { name: X-Api-Version, value: "2024-11-06", source: api }\n    - { name: x-api-version, value: "2025", source: api }\n    - { name: Authorization, value: Bearer, source: api }\n    - { name: X-Trace, value: "a\\nb", source: apis }\n',
      ),
    });
    const both = specFolder({ 'versioned.yaml': VERSIONED.replace('{ none: true, source: api,', '{ none: true, name: Idempotency-Key, source: api,') });
    made.push(dir, both);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'versioned.yaml:10:15: header "x-api-version" is already sent (headers[0]); list each header once',
      'versioned.yaml:11:15: "Authorization" is set by fetch itself, or is the caller\'s (credentials, content): not a fact of the spec',
      'versioned.yaml:12:31: the value of "X-Trace" holds a line break or a control character, which no request may carry',
      'versioned.yaml:12:47: unknown source "apis" (did you mean "api"?)',
    ]);
    expect(diagnosticLines(checkDir(both))).toHaveLength(1);
  });
});
