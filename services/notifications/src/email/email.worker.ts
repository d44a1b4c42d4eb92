import type { Registry } from 'prom-client';
import { instrumentedWorkerOptions } from '@timeslot/adapters';
import { PermanentJobError, isPermanentJobError, type Job, type JobQueue, type JobWorker } from '@timeslot/ports';
import { emailQueue, type NotificationsContext } from '../context';
import type { NotificationKind } from '../kinds';
import type { EmailJob } from './email.data';
import { emailMetrics, registerEmailMetrics } from './email.metrics';
import { createEmailRepository, type ClaimedEmail, type EmailRepository } from './email.repository';
import { composeEmail, invitationParties } from './email.compose';
import { createMailer, isPermanentMailError, type Mailer } from './mailer';

/**
 * Retries of one email's job: exponential from 2 s, eight tries in all (about four minutes), then
 * the row is marked failed and the job kept in the failed set, retryable from the admin API.
 */
export const emailJobRetry = { attempts: 8, backoffMs: 2_000 } as const;

/**
 * Enqueue the job of an `emails` row (after the transaction that wrote it commits). Its job id is
 * the row's id, so enqueuing the same row twice (a redelivered event, the start-up sweep) is one job.
 */
export async function enqueueEmail(jobs: JobQueue, email: { readonly id: string; readonly kind: NotificationKind; readonly sendAfter: Date }, now: Date, requestId?: string): Promise<void> {
  const delayMs = Math.max(0, email.sendAfter.getTime() - now.getTime());
  await jobs.enqueue<EmailJob>(emailQueue, email.kind, { emailId: email.id }, {
    jobId: email.id,
    ...(delayMs > 0 ? { delayMs } : {}),
    ...emailJobRetry,
    ...(requestId === undefined ? {} : { requestId }),
  });
}

export interface EmailWorkerOptions {
  /** Default: ctx.options.emailConcurrency. */
  readonly concurrency?: number;
  /** Default: ctx.options.emailRatePerMinute per minute, across every worker of every process. */
  readonly rateLimit?: { readonly max: number; readonly durationMs: number };
  /** How long a worker owns a row while sending it (default 2 min: past every SMTP timeout). */
  readonly leaseMs?: number;
  /** How long a due email waits for an earlier one of its booking before going anyway (default 10 min). */
  readonly orderWaitLimitMs?: number;
  /** How often pending rows are enqueued again, for jobs a queue lost (default 5 min; 0: at start only). */
  readonly sweepIntervalMs?: number;
  /** Default: SMTP with ctx.options.smtpUrl, else .eml files under ctx.options.mailDir. */
  readonly mailer?: Mailer;
}

const SWEEP_BATCH = 1000;
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Which email a job is about, and which link of its chain (see `comeBackLater`). */
function chainOf(job: Job<EmailJob>): { emailId: string; generation: number } {
  return { emailId: job.data.emailId, generation: job.data.generation ?? 0 };
}

/**
 * A job that must not send yet finishes and leaves a successor, delayed: waiting by throwing would
 * spend the retry budget meant for mail server failures. The successor's id is derived from the
 * row and the chain link, so a job that runs twice (a crash after the enqueue) leaves one successor.
 */
async function comeBackLater(ctx: NotificationsContext, job: Job<EmailJob>, delayMs: number): Promise<void> {
  const { emailId, generation } = chainOf(job);
  const next = generation + 1;
  await ctx.jobs.enqueue<EmailJob>(emailQueue, job.name, { emailId, generation: next }, {
    jobId: `${emailId}.${next}`,
    delayMs: Math.max(1, Math.ceil(delayMs)),
    ...emailJobRetry,
    ...(job.requestId === undefined ? {} : { requestId: job.requestId }),
  });
}

/** Whether a reminder still fits its booking: confirmed, and starting when the reminder says. */
function staleReminder(email: ClaimedEmail): string | undefined {
  if (email.kind !== 'booking_reminder') return undefined;
  if (email.booking === null) return 'booking_unknown';
  if (email.booking.status !== 'confirmed') return `booking_${email.booking.status}`;
  const start = email.data.booking?.startsAt;
  if (start === undefined || Date.parse(start) !== email.booking.startsAt.getTime()) return 'booking_moved';
  return undefined;
}

interface Deps {
  readonly ctx: NotificationsContext;
  readonly repository: EmailRepository;
  readonly mailer: Mailer;
  readonly leaseMs: number;
  readonly orderWaitLimitMs: number;
}

/** One job: claim the row, check it still should go, render, send, record. */
async function handleEmailJob(deps: Deps, job: Job<EmailJob>): Promise<void> {
  const { ctx, repository } = deps;
  const metrics = emailMetrics(ctx);
  const { emailId } = chainOf(job);
  const now = ctx.options.now();
  const email = await repository.claim(emailId, now, deps.leaseMs, deps.orderWaitLimitMs);
  if (email === undefined) {
    const why = await repository.whyUnclaimable(emailId, now);
    switch (why.reason) {
      case 'gone':
        return;
      case 'not_due':
        metrics.deferred('not_due');
        return comeBackLater(ctx, job, why.dueInMs);
      case 'claimed':
        metrics.deferred('claimed');
        return comeBackLater(ctx, job, why.freeInMs + 100);
      case 'order':
        metrics.deferred('order');
        // Soon at first, then less often: the earlier email may be retrying against a slow server.
        return comeBackLater(ctx, job, Math.min(250 * 2 ** chainOf(job).generation, 5_000));
    }
  }

  try {
    await deliver(deps, job, email);
  } catch (error) {
    // Anything unexpected (the database away mid-way): free the row for the retry at once rather
    // than leave it leased. A refusal for good has already ended the row.
    if (!isPermanentJobError(error)) await repository.release(email.id, errorText(error)).catch(() => undefined);
    throw error;
  }
}

/** A claimed row: still wanted? Then render, send, and record. */
async function deliver(deps: Deps, job: Job<EmailJob>, email: ClaimedEmail): Promise<void> {
  const { ctx, repository } = deps;
  const metrics = emailMetrics(ctx);
  const skip = async (reason: string): Promise<void> => {
    if (await repository.finish(email.id, 'skipped', reason)) metrics.skipped(email.kind, reason);
  };
  if (email.recipient === null) return skip('recipient_unknown');
  if (email.recipient.disabled) return skip('recipient_disabled');
  const stale = staleReminder(email);
  if (stale !== undefined) return skip(stale);

  const parties = await repository.parties(invitationParties(email));
  let composed;
  try {
    composed = composeEmail(ctx, email, email.recipient, parties);
  } catch (error) {
    if (await repository.finish(email.id, 'failed', `render: ${errorText(error)}`)) metrics.failed(email.kind, 'render');
    throw new PermanentJobError(`email ${email.id} could not be rendered: ${errorText(error)}`);
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(composed));
  } catch (error) {
    const message = errorText(error);
    if (isPermanentMailError(error)) {
      if (await repository.finish(email.id, 'failed', message)) metrics.failed(email.kind, 'permanent');
      throw new PermanentJobError(`email ${email.id} refused: ${message}`);
    }
    if (email.attempts >= emailJobRetry.attempts || job.attempt >= emailJobRetry.attempts) {
      if (await repository.finish(email.id, 'failed', message)) metrics.failed(email.kind, 'retries_exhausted');
      throw new PermanentJobError(`email ${email.id} not sent after ${email.attempts} attempts: ${message}`);
    }
    throw error;
  }
  const sentAt = ctx.options.now();
  // False only if the lease ran out mid-send and another worker sent it too: that copy counted.
  if (await repository.markSent(email.id, messageId, sentAt)) {
    const due = Math.max(email.createdAt.getTime(), email.sendAfter.getTime());
    metrics.sent(email.kind, (sentAt.getTime() - due) / 1000);
  }
}

/** Enqueues the job of every pending row again; ids dedupe those the queue still holds. */
export async function sweepPendingEmails(ctx: NotificationsContext, repository = createEmailRepository(ctx.database, ctx.options.schema)): Promise<number> {
  const now = ctx.options.now();
  const rows = await repository.pending(SWEEP_BATCH);
  for (const row of rows) await enqueueEmail(ctx.jobs, row, now);
  return rows.length;
}

/**
 * Starts this process's email workers: one BullMQ (or in-process) worker on the email queue with
 * the configured concurrency, under a rate limit shared by every worker of every process, and a
 * sweep that re-enqueues pending rows (at start, then every `sweepIntervalMs`), because the row
 * and not the queue is the source of truth. Closing waits for the messages in hand.
 */
export async function startEmailWorkers(ctx: NotificationsContext, registry?: Registry, options: EmailWorkerOptions = {}): Promise<JobWorker[]> {
  if (registry !== undefined) registerEmailMetrics(registry, ctx);
  const repository = createEmailRepository(ctx.database, ctx.options.schema);
  const concurrency = options.concurrency ?? ctx.options.emailConcurrency;
  const mailer =
    options.mailer ??
    createMailer({ smtpUrl: ctx.options.smtpUrl, mailDir: ctx.options.mailDir, from: ctx.options.emailFrom, logger: ctx.logger, maxConnections: concurrency });
  const deps: Deps = { ctx, repository, mailer, leaseMs: options.leaseMs ?? 120_000, orderWaitLimitMs: options.orderWaitLimitMs ?? 600_000 };
  const workerOptions = { concurrency, rateLimit: options.rateLimit ?? { max: ctx.options.emailRatePerMinute, durationMs: 60_000 } };
  const worker = await ctx.jobs.process<EmailJob>(
    emailQueue,
    (job) => handleEmailJob(deps, job),
    registry === undefined ? workerOptions : instrumentedWorkerOptions(registry, workerOptions),
  );

  let closed = false;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = (): void => {
    sweeping = sweeping.then(async () => {
      if (closed) return;
      try {
        await sweepPendingEmails(ctx, repository);
      } catch (error) {
        ctx.logger.warn({ err: error }, 'email sweep failed; it runs again later');
      }
    });
  };
  sweep();
  const intervalMs = options.sweepIntervalMs ?? 300_000;
  const timer = intervalMs > 0 ? setInterval(sweep, intervalMs) : undefined;
  timer?.unref();

  return [
    {
      async close() {
        closed = true;
        clearInterval(timer);
        await sweeping;
        await worker.close();
        if (options.mailer === undefined) mailer.close();
      },
    },
  ];
}
