/**
 * The permit a runTask call holds (contract section 6): taken before the first submit, confirmed
 * before every submit (its lease checked on this process's clock, a round trip only when it may
 * have run out), given back while a submit turned away unprocessed waits to be resent, and
 * released when the call ends, however it ends.
 */
import type { ProviderTable, Vocabulary } from '../runtime/types.js';
import { ProviderError } from '../runtime/provider-error.js';
import { StoreFailure, type LeaseChange, type Limits, type Permit } from './limiter.js';
import type { CallScope } from './scope.js';
import { deadlineError, notify, stoppedByCaller, storeError, totals, type PermitHolder, type Tally } from './send.js';
import type { ExecutorContext, LeaseEvent, Sleep } from './types.js';

export class Holding<V extends Vocabulary> implements PermitHolder {
  private permit: Permit | null = null;
  /** The next permit is asked for at the front of the queue: the call gave its own back for a wait. */
  private again = false;

  constructor(
    private readonly context: ExecutorContext<V>,
    private readonly table: ProviderTable<V>,
    private readonly limits: Limits,
    private readonly scope: CallScope,
    private readonly tally: Tally,
    private readonly onLease: ((event: LeaseEvent<V>) => void) | null,
  ) {}

  /**
   * Before every submit: a permit, held now. A stop or a failing store while waiting for it rejects
   * as the call does otherwise. From here on, the task may be running at the provider.
   */
  async beforeSubmit(): Promise<void> {
    try {
      this.permit ??= await this.limits.acquire(this.scope, this.again, (change) => this.report(change));
      if (this.permit) await this.limits.confirm(this.scope, this.permit);
    } catch (error) {
      throw this.failure(error);
    }
    this.again = false;
    if (this.permit) this.permit.running = true;
  }

  /** A submit turned away unprocessed: nothing of it runs, so its permit goes to the next in line for the wait. */
  async requeue(delayMs: number, sleep: Sleep | null): Promise<void> {
    this.release();
    this.again = true;
    await this.scope.wait(delayMs, sleep);
  }

  /** The task failed: nothing of it runs while the call waits to submit again. */
  taskEnded(): void {
    if (this.permit) this.permit.running = false;
  }

  /** A concurrency error while holding the permit: someone else shares the account. */
  congested(): Promise<void> {
    return this.limits.congested(this.scope);
  }

  /** The task completed: the limit climbs back, on its own. */
  succeeded(): void {
    this.limits.succeeded();
  }

  release(): void {
    this.permit?.release();
    this.permit = null;
  }

  private report(kind: LeaseChange): void {
    notify(this.onLease, { provider: this.table.id, taskId: this.tally.taskId, kind });
  }

  /** A stop wins over a store failing at the same time: the caller's abort is what happened. */
  private failure(error: unknown): unknown {
    const { context, table, scope, tally } = this;
    if (scope.stoppedBy === 'caller') return stoppedByCaller(context, table, tally, scope.callerReason);
    if (scope.stoppedBy === 'deadline') return new ProviderError(deadlineError(context, table), { ...totals(tally), giveUp: 'deadline' });
    if (error instanceof StoreFailure) return new ProviderError(storeError(context, table, error), { ...totals(tally), giveUp: 'limiter', cause: error.cause });
    return error;
  }
}
