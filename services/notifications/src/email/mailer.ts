import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Logger } from '@timeslot/kernel';

/** One message, ready to go: rendered, addressed, and named after its `emails` row. */
export interface OutgoingMail {
  /** The `emails` row's id: the Message-ID is derived from it (see `messageIdFor`). */
  readonly id: string;
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** An iCalendar object: sent as a text/calendar alternative with its method, and as invite.ics. */
  readonly calendar?: { readonly method: 'REQUEST' | 'CANCEL'; readonly content: string };
}

export interface SentMail {
  readonly messageId: string;
  /** Without SMTP: the .eml file written (its base name, under the mail folder). */
  readonly file?: string;
}

export interface Mailer {
  /** 'smtp' with SMTP_URL; 'files' writes .eml files (embedded mode's default). */
  readonly kind: 'smtp' | 'files';
  /** Resolves once the server accepted the message (or the file is in place). See `isPermanentMailError`. */
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Closes pooled connections; a message being sent finishes first. */
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// with credentials; without it messages become .eml files under `mailDir`. */
  readonly smtpUrl?: string | undefined;
  readonly mailDir: string;
  /** The From header, e.g. `Timeslot <no-reply@example.com>`. */
  readonly from: string;
  readonly logger: Logger;
  /** Pooled SMTP connections (default 4: one per message a worker sends at once). */
  readonly maxConnections?: number;
  /** SMTP: time to connect, to get the greeting, and of socket inactivity (defaults 10 s, 10 s, 30 s). */
  readonly timeoutsMs?: { readonly connection?: number; readonly greeting?: number; readonly socket?: number };
}

/** The domain of a From header (`Name <a@b.example>` → `b.example`), for Message-IDs. */
function fromDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'timeslot.invalid';
}

/**
 * The Message-ID of an `emails` row. The same for every attempt at the row, so a message sent again
 * after a crash between the server's acceptance and our bookkeeping is recognisable as the same one
 * (and mail systems that dedupe by Message-ID drop it).
 */
export function messageIdFor(emailId: string, from: string): string {
  return `<${emailId}@${fromDomain(from)}>`;
}

/** What an .eml file's name looks like: `/dev/mail` serves no other name. */
export const emlFileName = /^\d{8}T\d{9}Z-[0-9a-f]{16}\.eml$/;

/**
 * When it was written (so names sort newest last) and a digest of the row id: short enough for a
 * URL path segment, and a message written twice (a resend) gets a second file, not a half-overwritten one.
 */
function emlName(id: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${createHash('sha256').update(id).digest('hex').slice(0, 16)}.eml`;
}

/**
 * Whether the server refused the message for good (a 5xx reply): sending it again would be refused
 * again. Everything else — 4xx replies, refused or dropped connections, timeouts — is worth a retry.
 * An authentication failure is retried too: it is the operator's configuration, not the message.
 */
export function isPermanentMailError(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && code !== 'EAUTH';
}

function message(mail: OutgoingMail, from: string) {
  return {
    from,
    to: { name: mail.to.name, address: mail.to.address },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: messageIdFor(mail.id, from),
    ...(mail.calendar === undefined ? {} : { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content } }),
  };
}

/**
 * nodemailer is loaded with the first message rather than at start: loading it is a noticeable
 * part of a start, and many starts send nothing.
 */
function lazyTransport<Info>(create: (mailer: typeof nodemailer) => Transporter<Info>): { get(): Promise<Transporter<Info>>; close(): void } {
  let transport: Transporter<Info> | undefined;
  let loading: Promise<Transporter<Info>> | undefined;
  return {
    get: () => (loading ??= import('nodemailer').then((module) => (transport = create(module.default)))),
    close: () => transport?.close(),
  };
}

/**
 * SMTP through a pool of connections when `smtpUrl` is set; otherwise each message is written to
 * `mailDir` as an .eml file (temp file, then rename: a reader never sees half a message), with one
 * log line per message naming the recipient, subject and file, never the body.
 */
export function createMailer(options: MailerOptions): Mailer {
  const timeouts = options.timeoutsMs ?? {};
  if (options.smtpUrl !== undefined) {
    const smtpUrl = options.smtpUrl;
    const transport = lazyTransport((mailer) =>
      mailer.createTransport({
        url: smtpUrl,
        pool: true,
        maxConnections: Math.max(1, options.maxConnections ?? 4),
        connectionTimeout: timeouts.connection ?? 10_000,
        greetingTimeout: timeouts.greeting ?? 10_000,
        socketTimeout: timeouts.socket ?? 30_000,
      }),
    );
    return {
      kind: 'smtp',
      async send(mail) {
        const info = await (await transport.get()).sendMail(message(mail, options.from));
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }

  const transport = lazyTransport((mailer) => mailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
  let folderReady: Promise<unknown> | undefined;
  return {
    kind: 'files',
    async send(mail) {
      const info = await (await transport.get()).sendMail(message(mail, options.from));
      folderReady ??= mkdir(options.mailDir, { recursive: true });
      await folderReady;
      const file = emlName(mail.id, new Date());
      const target = path.join(options.mailDir, file);
      const temporary = path.join(options.mailDir, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, info.message);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        // The folder may have been removed since: make it again on the next message.
        folderReady = undefined;
        throw error;
      }
      options.logger.info({ to: mail.to.address, subject: mail.subject, file: target }, 'email written');
      return { messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}
