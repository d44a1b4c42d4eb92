import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressObject, ParsedMail } from 'mailparser';
import { z } from 'zod';
import { commonErrors, type App } from '@timeslot/kernel';
import { emlFileName } from './mailer';
import { escapeHtml } from './templates/format';

/** mailparser is loaded when a message is first shown, not at start (it takes a while to load). */
async function parse(message: Buffer, options: { skipHtmlToText?: boolean }): Promise<ParsedMail> {
  const { simpleParser } = await import('mailparser');
  return simpleParser(message, { ...options, skipTextToHtml: true, skipImageLinks: true });
}

/** The newest this many messages are listed. */
const LISTED = 200;

/**
 * Nothing the message could carry runs or loads: no scripts, no requests, no forms, no top-level
 * navigation (sandbox); only the inline styles emails are written with, and data: images.
 */
const messageCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
const listCsp = "default-src 'none'; style-src 'unsafe-inline'";

const fileParams = z.object({ file: z.string().regex(emlFileName, 'must be the name of a message in the mail folder') });

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((entry) => entry.text).join(', ');
}

async function listFiles(mailDir: string): Promise<string[]> {
  try {
    // The names start with the time they were written: a reverse sort is newest first.
    return (await readdir(mailDir)).filter((name) => emlFileName.test(name)).sort().reverse().slice(0, LISTED);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readMessage(mailDir: string, file: string): Promise<Buffer> {
  // The name passed the regex (no slash, no leading dot), so it cannot leave the folder.
  try {
    return await readFile(path.join(mailDir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw commonErrors.notFound('No such message.');
    throw error;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1d1f24}table{border-collapse:collapse}td,th{padding:6px 12px;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>${body}</body></html>`;
}

/**
 * Embedded mode without SMTP: `GET /dev/mail` lists the .eml files the mailer wrote (newest
 * first), `GET /dev/mail/:file` shows one message's HTML part under a CSP sandbox (or its text),
 * `GET /dev/mail/:file/raw` the whole message as text. Only names the mailer writes are served,
 * so no path leads outside the folder. Not part of the public API (hidden from OpenAPI); the
 * composition root mounts it only when no SMTP_URL is set.
 */
export function registerDevMailRoutes(app: App, options: { readonly mailDir: string }): void {
  const { mailDir } = options;

  app.get('/dev/mail', { schema: { hide: true, operationId: 'listDevMail' } }, async (_request, reply) => {
    const rows: string[] = [];
    for (const file of await listFiles(mailDir)) {
      const parsed = await parse(await readFile(path.join(mailDir, file)), { skipHtmlToText: true });
      const link = `/dev/mail/${encodeURIComponent(file)}`;
      rows.push(
        `<tr><td>${escapeHtml(parsed.date?.toISOString() ?? '')}</td><td>${escapeHtml(addresses(parsed.to))}</td>` +
          `<td><a href="${escapeHtml(link)}">${escapeHtml(parsed.subject ?? '(no subject)')}</a></td><td><a href="${escapeHtml(`${link}/raw`)}">raw</a></td></tr>`,
      );
    }
    const body =
      rows.length === 0
        ? `<h1>Mail</h1><p>No messages yet in ${escapeHtml(mailDir)}.</p>`
        : `<h1>Mail</h1><table><thead><tr><th>Date</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    return reply.header('content-security-policy', listCsp).type('text/html; charset=utf-8').send(page('Mail', body));
  });

  app.get('/dev/mail/:file', { schema: { hide: true, operationId: 'showDevMail', params: fileParams } }, async (request, reply) => {
    const parsed = await parse(await readMessage(mailDir, request.params.file), {});
    void reply.header('content-security-policy', messageCsp).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (typeof parsed.html === 'string') return reply.type('text/html; charset=utf-8').send(parsed.html);
    return reply.type('text/plain; charset=utf-8').send(parsed.text ?? '');
  });

  app.get('/dev/mail/:file/raw', { schema: { hide: true, operationId: 'showDevMailRaw', params: fileParams } }, async (request, reply) => {
    const raw = await readMessage(mailDir, request.params.file);
    return reply.header('x-content-type-options', 'nosniff').type('text/plain; charset=utf-8').send(raw);
  });
}
