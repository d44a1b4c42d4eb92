import type { EventOutbox } from '@timeslot/adapters';
import type { Logger } from '@timeslot/kernel';
import type { Database } from '@timeslot/ports';
import type { PaymentProvider } from './gateways/gateway';
import type { PaymentsTables } from './tables';

export interface PaymentsOptions {
  /** Postgres schema (default 'payments'; tests use a unique one). */
  readonly schema?: string;
  /** Share of the price refunded when the client's side cancels after the cancellation window (default 50). */
  readonly lateRefundSharePercent?: number;
  /** Per gateway call, connection included (default 10 s). */
  readonly gatewayTimeoutMs?: number;
  /**
   * The shared secret other services present on the internal routes. Without it the internal
   * routes are not served (in-process callers need none).
   */
  readonly internalToken?: string;
  /** Time between background passes (orders to place, events to apply, refunds to send) (default 5 s; 0: never, tests drive them). */
  readonly sweepIntervalMs?: number;
  /** A stored gateway event not applied after this long is applied by the sweep (default 10 s). */
  readonly staleEventMs?: number;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

export interface ResolvedPaymentsOptions {
  readonly schema: string;
  readonly lateRefundSharePercent: number;
  readonly gatewayTimeoutMs: number;
  readonly internalToken: string | undefined;
  readonly sweepIntervalMs: number;
  readonly staleEventMs: number;
  readonly now: () => Date;
}

export function resolveOptions(options: PaymentsOptions = {}): ResolvedPaymentsOptions {
  const share = options.lateRefundSharePercent ?? 50;
  if (!Number.isInteger(share) || share < 0 || share > 100) throw new Error('lateRefundSharePercent must be an integer from 0 to 100');
  return {
    schema: options.schema ?? 'payments',
    lateRefundSharePercent: share,
    gatewayTimeoutMs: options.gatewayTimeoutMs ?? 10_000,
    internalToken: options.internalToken,
    sweepIntervalMs: options.sweepIntervalMs ?? 5_000,
    staleEventMs: options.staleEventMs ?? 10_000,
    now: options.now ?? (() => new Date()),
  };
}

/** Everything the payments domain needs, built once by createPaymentsService. */
export interface PaymentsContext {
  readonly database: Database;
  readonly outbox: EventOutbox;
  readonly logger: Logger;
  readonly tables: PaymentsTables;
  /** The one gateway this installation takes money through. */
  readonly gateway: PaymentProvider;
  readonly options: ResolvedPaymentsOptions;
  /** Work started after a commit and not awaited by its request (applying a webhook, sending a refund); stop() waits for it. */
  readonly background: Set<Promise<unknown>>;
}

/** Events name their publisher. */
export const eventSource = 'payments';

/** Runs `work` after the response, tracked so that stop() waits for it; failures are logged (the sweep retries). */
export function inBackground(ctx: PaymentsContext, what: string, work: () => Promise<unknown>): void {
  const running: Promise<unknown> = work()
    .catch((error: unknown) => ctx.logger.warn({ err: error }, `${what} failed; the sweep retries`))
    .finally(() => ctx.background.delete(running));
  ctx.background.add(running);
}
