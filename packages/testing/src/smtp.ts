import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** A message as the SMTP server received it: envelope, parsed content, and when it arrived. */
export interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly mail: ParsedMail;
  readonly receivedAt: number;
}

/** What the server answers a message with: undefined accepts; an SMTP code refuses it. */
export type Verdict = { readonly code: number; readonly message: string } | undefined;

export interface TestSmtp {
  readonly url: string;
  readonly received: Received[];
  /** Every DATA the server saw, accepted or refused, by recipient. */
  readonly attempts: string[];
  /** Decides each message (default: accept all). */
  judge: (to: readonly string[], attempt: number) => Verdict;
  /** How long the server takes to answer each message's DATA (default 0): keeps messages in flight. */
  latencyMs: number;
  /** Called as each message's data has arrived whole, before the server answers it (with the count so far). */
  onData: (count: number) => void;
  /** Resolves once `count` messages have been accepted (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real SMTP server (the smtp-server package) on a free port, no TLS, no auth: what the mailer talks to. */
export async function startSmtp(): Promise<TestSmtp> {
  const received: Received[] = [];
  const attempts: string[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  let parsing: Promise<void> = Promise.resolve();
  let dataCount = 0;
  const state: TestSmtp = {
    url: '',
    received,
    attempts,
    judge: () => undefined,
    latencyMs: 0,
    onData: () => undefined,
    async waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return received;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => waiters.push({ count, resolve })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return received;
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        dataCount++;
        state.onData(dataCount);
        void answer();
      });
      const answer = async (): Promise<void> => {
        if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
        const to = session.envelope.rcptTo.map((address) => address.address);
        attempts.push(to.join(','));
        const verdict = state.judge(to, attempts.length);
        if (verdict !== undefined) {
          callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const receivedAt = Date.now();
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        // One parse after another, so `received` keeps the order the server accepted them in.
        parsing = parsing.then(async () => {
          const mail = await simpleParser(raw);
          received.push({ from, to, raw, mail, receivedAt });
          waiters = waiters.filter((waiter) => {
            if (received.length < waiter.count) return true;
            waiter.resolve();
            return false;
          });
        });
        callback();
      };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
