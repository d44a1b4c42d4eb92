import type { Catalog, Detail, Message } from './catalog';
import { escapeHtml } from './format';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

function detailText(detail: Detail): string {
  return detail.href !== undefined && detail.href !== detail.text ? `${detail.text} <${detail.href}>` : detail.text;
}

function detailHtml(detail: Detail): string {
  const text = escapeHtml(detail.text);
  return detail.href === undefined ? text : `<a href="${escapeHtml(detail.href)}">${text}</a>`;
}

const present = (entry: readonly [string, Detail | undefined]): entry is readonly [string, Detail] => entry[1] !== undefined && entry[1].text !== '';

/**
 * The one layout every email shares, as plain text and as HTML. Every value is escaped here, once,
 * so no template can forget it: a name like `<script>` arrives as text.
 */
export function layout(catalog: Catalog, name: string, message: Message): RenderedEmail {
  const details = message.details.filter(present);
  const greeting = catalog.greeting(name);
  const text = [
    greeting,
    '',
    message.intro,
    '',
    ...details.map(([label, value]) => `${label}: ${detailText(value)}`),
    ...(message.action === undefined ? [] : ['', `${message.action.label}: ${message.action.url}`]),
    ...(message.outro === undefined ? [] : ['', message.outro]),
    '',
    '-- ',
    catalog.footer,
    '',
  ].join('\n');

  const rows = details
    .map(([label, value]) => `<tr><th align="left" style="padding:4px 12px 4px 0;color:#555;font-weight:normal;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${detailHtml(value)}</td></tr>`)
    .join('');
  const action =
    message.action === undefined
      ? ''
      : `<p style="margin:24px 0"><a href="${escapeHtml(message.action.url)}" style="background:#2456d3;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(message.action.label)}</a></p>`;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(message.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f5f6f8;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1f24">',
    '<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(message.intro)}</p>`,
    rows === '' ? '' : `<table role="presentation" style="border-collapse:collapse">${rows}</table>`,
    action,
    message.outro === undefined ? '' : `<p>${escapeHtml(message.outro)}</p>`,
    `<p style="margin-top:32px;color:#777;font-size:12px">${escapeHtml(catalog.footer)}</p>`,
    '</div></body></html>',
  ].join('\n');
  return { subject: message.subject, text, html };
}
