import { Gauge, Histogram, type Registry } from 'prom-client';
import { registeredCounter } from '@timeslot/kernel';
import type { NotificationsContext } from '../context';

/** What the email worker counts; no-ops until `registerEmailMetrics` gives them a registry. */
export interface EmailMetrics {
  sent(kind: string, delaySeconds: number): void;
  failed(kind: string, reason: 'permanent' | 'retries_exhausted' | 'render'): void;
  skipped(kind: string, reason: string): void;
  /** A job that came back later instead of sending now (not due yet, waiting for its booking's earlier email, or leased elsewhere). */
  deferred(reason: 'not_due' | 'order' | 'claimed'): void;
}

const byContext = new WeakMap<NotificationsContext, EmailMetrics>();

const none: EmailMetrics = { sent: () => undefined, failed: () => undefined, skipped: () => undefined, deferred: () => undefined };

function registeredHistogram(registry: Registry, name: string, help: string, buckets: number[]): Histogram<'kind'> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing;
  return new Histogram({ name, help, labelNames: ['kind'], buckets, registers: [registry] });
}

/**
 * The email metrics on the app's registry (call it where the routes are registered, like the
 * other services' metrics):
 * - emails_sent_total{kind}; its rate is the send rate, to compare with emails_rate_limit_per_minute;
 * - emails_failed_total{kind,reason}: refused for good (permanent), out of attempts, or not renderable;
 * - emails_skipped_total{kind,reason}: nobody to tell, or a reminder whose booking was cancelled or moved;
 * - emails_deferred_total{reason}: jobs that came back later rather than send now;
 * - email_delivery_delay_seconds{kind}: from when the email was due (written, or its send_after) to
 *   the server's acceptance; under a backlog this is where the rate limit shows.
 * BullMQ's worker does not report when its limiter holds jobs back (no event, and the JobQueue
 * port hides the worker), so the limiter is seen through the send rate and the delay instead.
 */
export function registerEmailMetrics(registry: Registry, ctx: NotificationsContext): void {
  const sent = registeredCounter(registry, 'emails_sent_total', 'Emails the mail server accepted (or written as .eml files)', ['kind']);
  const failed = registeredCounter(registry, 'emails_failed_total', 'Emails given up on', ['kind', 'reason']);
  const skipped = registeredCounter(registry, 'emails_skipped_total', 'Emails not sent because nobody should get them any more', ['kind', 'reason']);
  const deferred = registeredCounter(registry, 'emails_deferred_total', 'Email jobs that re-enqueued themselves to come back later', ['reason']);
  const delay = registeredHistogram(registry, 'email_delivery_delay_seconds', 'From when an email was due to its acceptance by the mail server', [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900,
  ]);
  const limitName = 'emails_rate_limit_per_minute';
  const limit =
    (registry.getSingleMetric(limitName) as Gauge | undefined) ??
    new Gauge({ name: limitName, help: 'Emails started per minute across all workers (EMAIL_RATE_PER_MINUTE)', registers: [registry] });
  limit.set(ctx.options.emailRatePerMinute);
  byContext.set(ctx, {
    sent: (kind, delaySeconds) => {
      sent.inc({ kind });
      delay.observe({ kind }, Math.max(0, delaySeconds));
    },
    failed: (kind, reason) => failed.inc({ kind, reason }),
    skipped: (kind, reason) => skipped.inc({ kind, reason }),
    deferred: (reason) => deferred.inc({ reason }),
  });
}

export function emailMetrics(ctx: NotificationsContext): EmailMetrics {
  return byContext.get(ctx) ?? none;
}
