import type { Catalog, Detail, Facts, Message } from './catalog';

const text = (value: string | undefined): Detail | undefined => (value === undefined ? undefined : { text: value });

/** When, with whom, where: the rows every booking email starts with. */
function booking(f: Facts): Message['details'] {
  return [
    ['Service', text(f.service)],
    ['When', text(f.when)],
    [f.audience === 'provider' ? 'Client' : 'With', text(f.counterpart)],
    ['Where', f.where],
  ];
}

const view = (f: Facts): Message['action'] => (f.links.booking === undefined ? undefined : { label: 'View booking', url: f.links.booking });
const service = (f: Facts): string => f.service ?? 'your appointment';
const withWhom = (f: Facts): string => (f.counterpart === undefined ? '' : ` with ${f.counterpart}`);

const byWhom: Record<NonNullable<Facts['cancelledBy']>, string> = { client: 'the client', provider: 'the provider', admin: 'an administrator' };

export const en: Catalog = {
  greeting: (name) => `Hi ${name},`,
  footer: 'You receive this email because of your Timeslot account. You can choose which emails you get in your notification settings.',
  places: { videoPending: 'Video call (the link follows in a separate email)', phone: 'By phone', inPerson: 'In person' },
  templates: {
    welcome: (f) => ({
      subject: 'Welcome to Timeslot',
      intro: 'Your account is ready. Find a time that suits you and book it in a few clicks.',
      details: [],
      action: { label: 'Open Timeslot', url: f.links.home },
    }),
    booking_confirmed: (f) => ({
      subject: `Confirmed: ${service(f)}${withWhom(f)}`,
      intro: f.audience === 'provider' ? `${f.counterpart ?? 'A client'} booked ${service(f)}.` : `Your booking of ${service(f)} is confirmed.`,
      details: [...booking(f), ['Price', text(f.price)]],
      action: view(f),
      outro: 'The attached invitation adds it to your calendar.',
    }),
    booking_held: (f) => ({
      subject: `Held for you: ${service(f)}`,
      intro: `We are holding this time for you until ${f.holdExpires ?? 'shortly'}. Complete the payment to confirm it.`,
      details: [...booking(f), ['Price', text(f.price)]],
      action: view(f),
    }),
    booking_cancelled: (f) => ({
      subject: `Cancelled: ${service(f)}${withWhom(f)}`,
      intro: `This booking was cancelled${f.cancelledBy === undefined ? '' : ` by ${byWhom[f.cancelledBy]}`}.`,
      details: [...booking(f), ['Reason', text(f.reason)]],
      action: { label: 'Find another time', url: f.links.home },
      outro: 'The attached cancellation removes it from your calendar.',
    }),
    booking_rescheduled: (f) => ({
      subject: `Moved: ${service(f)}${withWhom(f)}`,
      intro: 'This booking has a new time.',
      details: [...booking(f), ['Previously', text(f.previousWhen)]],
      action: view(f),
      outro: 'The attached invitation updates your calendar.',
    }),
    booking_expired: (f) => ({
      subject: `Not confirmed: ${service(f)}`,
      intro: 'The payment was not completed in time, so the time we held was released.',
      details: booking(f),
      action: { label: 'Book again', url: f.links.home },
    }),
    booking_reminder: (f) => ({
      subject: `Reminder: ${service(f)}${withWhom(f)}${f.startsIn === undefined ? '' : ` in ${f.startsIn}`}`,
      intro: `${service(f)[0]?.toUpperCase() ?? ''}${service(f).slice(1)} starts${f.startsIn === undefined ? ' soon' : ` in ${f.startsIn}`}.`,
      details: booking(f),
      action: view(f),
    }),
    meeting_ready: (f) => ({
      subject: `Your meeting link: ${service(f)}`,
      intro: 'The meeting link for your booking is ready.',
      details: booking(f),
      action: view(f),
    }),
    waitlist_offer: (f) => ({
      subject: `A time opened up: ${service(f)}`,
      intro: `A time you were waiting for is free. It is yours if you claim it by ${f.offerExpires ?? 'soon'}.`,
      details: [
        ['Service', text(f.service)],
        ['When', text(f.when)],
        ['Claim by', text(f.offerExpires)],
      ],
      action: { label: 'Claim it', url: f.links.waitlist },
    }),
    payment_receipt: (f) => ({
      subject: `Receipt: ${f.payment?.amount ?? ''} for ${service(f)}`,
      intro: 'Thank you for your payment. This is your receipt.',
      details: [
        ['Amount', text(f.payment?.amount)],
        ['Paid', text(f.payment?.paidAt)],
        ['Payment', text(f.payment?.id)],
        ...booking(f),
      ],
      action: view(f),
    }),
  },
};
