/**
 * Dotted hierarchical codes matched by prefix (Runway's task failureCode: SAFETY.INPUT.TEXT,
 * INTERNAL.BAD_OUTPUT.CODE01): a code's own entry first, else the longest declared prefix it starts
 * with; typed as template literals; a misplaced * reported where it is written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generatedPackage } from './generic.js';
import { checkDir, diagnosticLines, removeDir, specFolder } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach(removeDir));

const RUNWAYISH = `format: 2
provider: runwayish
name: Runwayish
sources:
  docs: { document: docs/task-failures.md }
layers:
  http:
    envelope: { title: RunwayishError, type: object, properties: { error: { type: string } } }
    fields: { code: error, message: error }
    codes: {}
  task:
    envelope:
      title: RunwayishTask
      type: object
      required: [id, status]
      properties:
        id: { type: string }
        status: { type: string }
        failure: { type: string }
        failureCode: { type: string }
    status: { field: status, failed: [FAILED], cancelled: [CANCELLED], completed: [SUCCEEDED], running: [PENDING, THROTTLED, RUNNING] }
    fields: { code: failureCode, message: failure, taskId: id }
    submit: { taskId: id, source: docs }
    poll: { intervalMs: 6000, timeoutMs: 600000, source: docs }
    codes:
      "SAFETY.*":
        category: content_policy
        description: Content moderation.
        source: docs
      "SAFETY.INPUT.*":
        category: content_policy
        action: fix_content
        description: The input was rejected by moderation.
        source: docs
        examples:
          - body: { id: t1, status: FAILED, failure: Input rejected, failureCode: SAFETY.INPUT.TEXT }
            expect: { category: content_policy, code: SAFETY.INPUT.TEXT, known: true }
      "INTERNAL.BAD_OUTPUT.*":
        category: generation_failed
        description: The output was rejected for quality or system reasons; a retry may help.
        source: docs
      INPUT_PREPROCESSING.SAFETY.TEXT:
        category: content_policy
        description: The prompt was rejected by moderation.
        source: docs
`;

describe('codes matched by prefix', () => {
  it('the code itself first, else the longest declared prefix; typed as template literals', async () => {
    const { root, output } = await generatedPackage({ 'runwayish.yaml': RUNWAYISH }, made);
    const types = output.files.find((f) => f.path === 'runwayish/index.d.ts')!.content;
    expect(types).toContain('| `SAFETY.INPUT.${string}`');
    const failed = (failureCode: string) => root.classifyTask('runwayish', { id: 't', status: 'FAILED', failure: 'f', failureCode });
    expect(failed('SAFETY.INPUT.IMAGE')).toMatchObject({ code: 'SAFETY.INPUT.IMAGE', known: true, category: 'content_policy', action: 'fix_content' });
    expect(failed('SAFETY.OUTPUT.VIDEO')).toMatchObject({ code: 'SAFETY.OUTPUT.VIDEO', known: true, category: 'content_policy' });
    expect(failed('INTERNAL.BAD_OUTPUT.CODE01')).toMatchObject({ known: true, category: 'generation_failed', retryable: true });
    expect(failed('INPUT_PREPROCESSING.SAFETY.TEXT')).toMatchObject({ known: true, category: 'content_policy' });
    // Not a prefix of a dotted code: "SAFETY" alone, or one that only shares its first letters.
    expect(failed('SAFETY')).toMatchObject({ known: false });
    expect(failed('SAFETYX.INPUT')).toMatchObject({ known: false });
    // The retry rule follows the prefix too.
    const badOutput = failed('INTERNAL.BAD_OUTPUT.CODE01')!;
    expect(root.retryDelayMs(badOutput, 1, { random: () => 0 })).toBeGreaterThan(0);
  });

  it('a * anywhere but at the end of a prefix is reported at the code', () => {
    const dir = specFolder({ 'runwayish.yaml': RUNWAYISH.replace('"INTERNAL.BAD_OUTPUT.*":', '"INTERNAL.*.CODE01":').replace('"SAFETY.*":', '"*":') });
    made.push(dir);
    expect(diagnosticLines(checkDir(dir))).toEqual([
      'runwayish.yaml:26:7: code "*": a * may only end a prefix of dotted codes (SAFETY.INPUT.* takes every code that starts with SAFETY.INPUT.)',
      'runwayish.yaml:38:7: code "INTERNAL.*.CODE01": a * may only end a prefix of dotted codes (SAFETY.INPUT.* takes every code that starts with SAFETY.INPUT.)',
    ]);
  });
});
