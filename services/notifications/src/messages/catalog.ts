import type { EmailData } from '../email/email.data';
import type { NotificationKind } from '../kinds';
import type { Language } from './format';

/**
 * The in-app texts, per language and kind. Each takes the pieces `render.ts` has already put in
 * the reader's language, zone and locale (dates, money, names with their fallbacks), so a catalog
 * holds wording only. A new language is one more entry here (and in `languages`).
 */
export interface Words {
  /** The recipient's own name. */
  readonly name: string;
  readonly audience: EmailData['audience'];
  readonly service: string;
  readonly provider: string;
  /** The other side of the booking, as this recipient sees it. */
  readonly counterpart: string;
  readonly when: string;
  readonly previousWhen: string;
  readonly holdUntil: string;
  readonly offerUntil: string;
  readonly locationKind: 'video' | 'in_person' | 'phone' | undefined;
  readonly address: string | null;
  readonly meetingUrl: string | null;
  readonly cancelledBy: 'you' | 'client' | 'provider' | 'admin';
  readonly reason: string | null;
  readonly reminderMinutes: number;
  readonly amount: string;
}

export interface Text {
  readonly title: string;
  readonly body: string;
}

type Catalog = Readonly<Record<NotificationKind, (w: Words) => Text>>;

function hoursOrMinutes(minutes: number, hour: (n: number) => string, minute: (n: number) => string): string {
  return minutes % 60 === 0 ? hour(minutes / 60) : minute(minutes);
}

const en: Catalog = {
  welcome: (w) => ({ title: `Welcome to Timeslot, ${w.name}`, body: 'Your account is ready. Find a provider and book a time that suits you.' }),
  booking_confirmed: (w) =>
    w.audience === 'provider'
      ? { title: `New booking: ${w.service} with ${w.counterpart}`, body: `${w.when}.` }
      : { title: `Booked: ${w.service} with ${w.provider}`, body: `${w.when}. ${whereEn(w)}` },
  booking_held: (w) => ({
    title: `Slot held: ${w.service}`,
    body: `${w.when} is held for you until ${w.holdUntil}. Complete the payment to confirm it.`,
  }),
  booking_cancelled: (w) => ({
    title: `Cancelled: ${w.service} with ${w.audience === 'provider' ? w.counterpart : w.provider}`,
    body: `${w.when} was cancelled ${
      { you: 'by you', client: 'by the client', provider: `by ${w.provider}`, admin: 'by an administrator' }[w.cancelledBy]
    }.${w.reason === null ? '' : ` Reason: ${w.reason}`}`,
  }),
  booking_rescheduled: (w) => ({
    title: `Moved: ${w.service} with ${w.audience === 'provider' ? w.counterpart : w.provider}`,
    body: `Now ${w.when} (was ${w.previousWhen}).`,
  }),
  booking_expired: (w) => ({
    title: `Hold expired: ${w.service}`,
    body: `The hold on ${w.when} ended before the payment arrived; the slot is free again.`,
  }),
  booking_reminder: (w) => ({
    title: `Reminder: ${w.service} in ${hoursOrMinutes(w.reminderMinutes, (n) => (n === 1 ? '1 hour' : `${n} hours`), (n) => `${n} minutes`)}`,
    body: `${w.when}. ${whereEn(w)}`,
  }),
  meeting_ready: (w) => ({
    title: `Meeting link ready: ${w.service}`,
    body: `${w.when}: join at ${w.meetingUrl ?? 'the link in your booking'}.`,
  }),
  waitlist_offer: (w) => ({
    title: `A slot opened up: ${w.service} with ${w.provider}`,
    body: `${w.when} is held for you until ${w.offerUntil}. Claim it before then, or it goes to the next in line.`,
  }),
  payment_receipt: (w) => ({ title: `Payment received: ${w.amount}`, body: `For ${w.service} on ${w.when}. Thank you.` }),
};

function whereEn(w: Words): string {
  switch (w.locationKind) {
    case 'video':
      return w.meetingUrl === null ? 'Online; the meeting link follows.' : `Online: ${w.meetingUrl}`;
    case 'in_person':
      return w.address === null ? 'In person.' : `At ${w.address}.`;
    case 'phone':
      return 'By phone.';
    case undefined:
      return '';
  }
}

const de: Catalog = {
  welcome: (w) => ({ title: `Willkommen bei Timeslot, ${w.name}`, body: 'Ihr Konto ist bereit. Finden Sie einen Anbieter und buchen Sie einen passenden Termin.' }),
  booking_confirmed: (w) =>
    w.audience === 'provider'
      ? { title: `Neue Buchung: ${w.service} mit ${w.counterpart}`, body: `${w.when}.` }
      : { title: `Gebucht: ${w.service} bei ${w.provider}`, body: `${w.when}. ${whereDe(w)}` },
  booking_held: (w) => ({
    title: `Termin reserviert: ${w.service}`,
    body: `${w.when} ist bis ${w.holdUntil} für Sie reserviert. Schließen Sie die Zahlung ab, um ihn zu bestätigen.`,
  }),
  booking_cancelled: (w) => ({
    title: `Abgesagt: ${w.service} ${w.audience === 'provider' ? `mit ${w.counterpart}` : `bei ${w.provider}`}`,
    body: `${w.when} wurde ${
      { you: 'von Ihnen', client: 'vom Kunden', provider: `von ${w.provider}`, admin: 'von einem Administrator' }[w.cancelledBy]
    } abgesagt.${w.reason === null ? '' : ` Grund: ${w.reason}`}`,
  }),
  booking_rescheduled: (w) => ({
    title: `Verschoben: ${w.service} ${w.audience === 'provider' ? `mit ${w.counterpart}` : `bei ${w.provider}`}`,
    body: `Jetzt ${w.when} (vorher ${w.previousWhen}).`,
  }),
  booking_expired: (w) => ({
    title: `Reservierung abgelaufen: ${w.service}`,
    body: `Die Reservierung für ${w.when} ist vor Eingang der Zahlung abgelaufen; der Termin ist wieder frei.`,
  }),
  booking_reminder: (w) => ({
    title: `Erinnerung: ${w.service} in ${hoursOrMinutes(w.reminderMinutes, (n) => (n === 1 ? '1 Stunde' : `${n} Stunden`), (n) => `${n} Minuten`)}`,
    body: `${w.when}. ${whereDe(w)}`,
  }),
  meeting_ready: (w) => ({
    title: `Meeting-Link bereit: ${w.service}`,
    body: `${w.when}: Teilnahme über ${w.meetingUrl ?? 'den Link in Ihrer Buchung'}.`,
  }),
  waitlist_offer: (w) => ({
    title: `Ein Termin ist frei geworden: ${w.service} bei ${w.provider}`,
    body: `${w.when} ist bis ${w.offerUntil} für Sie reserviert. Buchen Sie ihn bis dahin, sonst geht er an den Nächsten auf der Warteliste.`,
  }),
  payment_receipt: (w) => ({ title: `Zahlung erhalten: ${w.amount}`, body: `Für ${w.service} am ${w.when}. Vielen Dank.` }),
};

function whereDe(w: Words): string {
  switch (w.locationKind) {
    case 'video':
      return w.meetingUrl === null ? 'Online; der Meeting-Link folgt.' : `Online: ${w.meetingUrl}`;
    case 'in_person':
      return w.address === null ? 'Vor Ort.' : `Ort: ${w.address}.`;
    case 'phone':
      return 'Telefonisch.';
    case undefined:
      return '';
  }
}

export const catalogs: Readonly<Record<Language, Catalog>> = { en, de };

/** Words for what an event may lack (older events carry no names). */
export const fallbacks: Readonly<Record<Language, { service: string; provider: string; client: string }>> = {
  en: { service: 'Appointment', provider: 'your provider', client: 'a client' },
  de: { service: 'Termin', provider: 'Ihrem Anbieter', client: 'einem Kunden' },
};
