import type { Logger } from '@timeslot/kernel';
import type { Database, JobQueue } from '@timeslot/ports';
import { emailQueue } from '../context';
import { enqueueEmail } from '../email/email.worker';
import type { EmailRows, PlannedEmail } from './email.rows';

export interface EmailQueueOptions {
  readonly database: Database;
  readonly jobs: JobQueue;
  readonly rows: EmailRows;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Time between sweeps while started (default 1 minute). */
  readonly sweepIntervalMs?: number;
  /** A sweep after a failed enqueue waits this long first (default 5 s), so Redis can come back. */
  readonly retryDelayMs?: number;
}

/**
 * Hands email rows to the job queue. The row is the truth and the job only transport: an enqueue
 * that fails is logged and left to the sweep, which re-enqueues every pending row due soon
 * (at start, every minute, and shortly after a failed enqueue). Job ids are the row ids, so a row
 * enqueued twice is one job, and a job lost with Redis is made again from its row.
 */
export interface EmailQueue {
  /** After commit: one job per row, delayed until its send time. Never throws. */
  enqueue(planned: readonly PlannedEmail[]): Promise<void>;
  /**
   * After commit: takes back the jobs of rows marked skipped (a moved or cancelled booking's
   * reminders), so they do not wait in the queue for nothing and their ids are free again. Never
   * throws: a job left behind finds its row skipped when it runs.
   */
  remove(emailIds: readonly string[]): Promise<void>;
  /** Re-enqueue pending rows due within two sweep intervals; resolves with how many were handed over. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const PAGE = 500;

export function createEmailQueue(options: EmailQueueOptions): EmailQueue {
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const { jobs, rows, logger } = options;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  let sweeping: Promise<unknown> = Promise.resolve();

  async function enqueueOne(email: PlannedEmail): Promise<boolean> {
    try {
      // The worker's own enqueue: the job id is the row's, with the email retry settings.
      await enqueueEmail(jobs, email, options.now());
      return true;
    } catch (error) {
      logger.warn({ err: error, emailId: email.id }, 'could not enqueue an email; the sweep will');
      return false;
    }
  }

  async function sweepOnce(): Promise<number> {
    // Rows due later keep the delayed jobs made when they were written; should those be lost,
    // a sweep finds the row once it is due within the horizon, in time to send it.
    const horizon = new Date(options.now().getTime() + 2 * sweepIntervalMs);
    let after: PlannedEmail | undefined;
    let handed = 0;
    for (;;) {
      const page = await rows.pendingDue(options.database.db, horizon, after, PAGE);
      for (const email of page) {
        if (!(await enqueueOne(email))) throw new Error('the job queue refused an email; sweeping again later');
        handed++;
      }
      after = page[page.length - 1];
      if (page.length < PAGE) return handed;
    }
  }

  function schedule(delayMs: number): void {
    if (!started) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && dueAt <= at) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Infinity;
      const run = sweepOnce().then(
        () => schedule(sweepIntervalMs),
        (error: unknown) => {
          logger.warn({ err: error }, 'email sweep failed; will retry');
          schedule(retryDelayMs);
        },
      );
      sweeping = Promise.all([sweeping, run]);
    }, delayMs);
    timer.unref();
  }

  return {
    async enqueue(planned) {
      let failed = false;
      for (const email of planned) if (!(await enqueueOne(email))) failed = true;
      if (failed) schedule(retryDelayMs);
    },
    async remove(emailIds) {
      for (const id of emailIds) {
        try {
          await jobs.remove(emailQueue, id);
        } catch (error) {
          logger.warn({ err: error, emailId: id }, 'could not take back the job of a skipped email; it will find its row skipped');
        }
      }
    },
    sweep() {
      const run = sweepOnce();
      sweeping = Promise.all([sweeping, run.catch(() => undefined)]);
      return run;
    },
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      dueAt = Infinity;
      await sweeping.catch(() => undefined);
    },
  };
}
