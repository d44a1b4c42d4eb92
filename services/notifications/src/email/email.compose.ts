import type { NotificationsContext } from '../context';
import type { ClaimedEmail, Party } from './email.repository';
import { buildInvitation, type CalendarParty } from './ics';
import type { OutgoingMail } from './mailer';
import { renderEmail, type EmailRecipient } from './templates/index';
import { publicLink, safeHttpUrl } from './templates/format';

/** The kinds that carry an invitation, and its method. */
const invitationMethods: Partial<Record<ClaimedEmail['kind'], 'REQUEST' | 'CANCEL'>> = {
  booking_confirmed: 'REQUEST',
  booking_rescheduled: 'REQUEST',
  booking_cancelled: 'CANCEL',
};

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'timeslot.invalid';
  } catch {
    return 'timeslot.invalid';
  }
}

function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

/** Whose names and addresses the row's invitation needs (none when it carries no invitation). */
export function invitationParties(email: ClaimedEmail): string[] {
  const booking = email.data.booking;
  if (invitationMethods[email.kind] === undefined || booking === undefined) return [];
  return [booking.clientId, ...(booking.providerUserId === undefined ? [] : [booking.providerUserId])];
}

/**
 * The message for a claimed row: rendered for its recipient, with an invitation (.ics) for the
 * kinds that change a calendar. The invitation names the provider as organizer and the client as
 * attendee, as `recipients` knows them now (`parties`; a provider not known here is named with the
 * From address). Pure: what fails here fails every time.
 */
export function composeEmail(ctx: NotificationsContext, email: ClaimedEmail, recipient: EmailRecipient, parties: readonly Party[]): OutgoingMail {
  const { data } = email;
  if (data.kind !== email.kind) throw new Error(`row kind ${email.kind} but data kind ${data.kind}`);
  if (email.kind.startsWith('booking_') && data.booking === undefined) throw new Error(`${email.kind} without its booking`);
  const rendered = renderEmail({ data, recipient, publicUrl: ctx.options.publicUrl });
  const mail: OutgoingMail = {
    id: email.id,
    to: { name: recipient.name, address: recipient.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
  };
  const method = invitationMethods[email.kind];
  const booking = data.booking;
  if (method === undefined || booking === undefined) return mail;

  const find = (userId: string | undefined): CalendarParty | undefined => parties.find((party) => party.userId === userId);
  const attendee = find(booking.clientId);
  if (attendee === undefined) return mail;
  const organizer = find(booking.providerUserId) ?? { name: booking.providerName ?? 'Timeslot', email: addressOf(ctx.options.emailFrom) };
  const service = booking.serviceName ?? 'Timeslot';
  const other = data.audience === 'provider' ? attendee.name : organizer.name;
  const link = safeHttpUrl(booking.meetingUrl);
  const bookingLink = publicLink(ctx.options.publicUrl, `/bookings/${encodeURIComponent(booking.bookingId)}`);
  const calendar = buildInvitation({
    method,
    booking,
    organizer,
    attendee,
    occurredAt: email.occurredAt,
    summary: `${service} – ${other}`,
    description: [link, bookingLink].filter((line) => line !== undefined).join('\n'),
    domain: hostOf(ctx.options.publicUrl),
  });
  return { ...mail, calendar: { method, content: calendar } };
}
