/*
 * The simulator's checkout page: plain HTML, no script, no external resource (the gateway's
 * Content-Security-Policy, default-src 'self', holds), every value escaped. The form posts back
 * to the same origin (form-action 'self') with the link's token as its CSRF guard: a page elsewhere
 * cannot know it.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Minor units as the currency writes them (EUR 1234 → "12.34 EUR"), by integer arithmetic only. */
export function formatMinor(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code: two digits, as most currencies.
  }
  if (digits === 0) return `${amount} ${currency}`;
  const text = String(amount).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)} ${currency}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}.amount{font-size:2rem;margin:.5rem 0}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}.note{color:#666;font-size:.9rem}dd{font-family:monospace;word-break:break-all}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export interface CheckoutView {
  readonly orderId: string;
  readonly token: string;
  readonly description: string;
  readonly amount: number;
  readonly currency: string;
  /** Null when it may be paid; otherwise why not. */
  readonly closedBecause: string | null;
}

export function checkoutPage(view: CheckoutView): string {
  const heading = `<p class="note">Timeslot payment simulator: no money moves.</p>
<h1>${escapeHtml(view.description)}</h1>
<p class="amount">${escapeHtml(formatMinor(view.amount, view.currency))}</p>`;
  if (view.closedBecause !== null) return page('Payment', `${heading}\n<p>${escapeHtml(view.closedBecause)}</p>`);
  return page(
    'Pay',
    `${heading}
<form method="post" action="/api/v1/payments/simulator/checkout/${escapeHtml(view.orderId)}">
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<button type="submit" name="outcome" value="pay">Pay</button>
<button type="submit" name="outcome" value="fail">Fail the payment</button>
</form>`,
  );
}

export function resultPage(outcome: 'pay' | 'fail', details: { gatewayPaymentId: string; signature: string | null; delivered: boolean }): string {
  const message =
    outcome === 'pay'
      ? 'Payment accepted. Your booking is confirmed in a moment.'
      : 'The payment failed (simulated decline). You may try again while your booking is held.';
  const callback =
    details.signature === null
      ? ''
      : `<p class="note">What a gateway's checkout hands the app (for POST /api/v1/payments/{id}/verify):</p>
<dl><dt>gatewayPaymentId</dt><dd>${escapeHtml(details.gatewayPaymentId)}</dd><dt>signature</dt><dd>${escapeHtml(details.signature)}</dd></dl>`;
  const webhook = details.delivered ? '' : '<p class="note">The webhook could not be delivered; the confirmation above still works.</p>';
  return page(outcome === 'pay' ? 'Paid' : 'Payment failed', `<h1>${escapeHtml(message)}</h1>\n${callback}\n${webhook}`);
}
