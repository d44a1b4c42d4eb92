import type { Catalog, Detail, Facts, Message } from './catalog';

const text = (value: string | undefined): Detail | undefined => (value === undefined ? undefined : { text: value });

/** Wann, mit wem, wo: die Zeilen, mit denen jede Buchungs-E-Mail beginnt. */
function booking(f: Facts): Message['details'] {
  return [
    ['Leistung', text(f.service)],
    ['Wann', text(f.when)],
    [f.audience === 'provider' ? 'Kunde' : 'Mit', text(f.counterpart)],
    ['Wo', f.where],
  ];
}

const view = (f: Facts): Message['action'] => (f.links.booking === undefined ? undefined : { label: 'Buchung ansehen', url: f.links.booking });
const service = (f: Facts): string => f.service ?? 'Ihr Termin';
const withWhom = (f: Facts): string => (f.counterpart === undefined ? '' : ` mit ${f.counterpart}`);

const byWhom: Record<NonNullable<Facts['cancelledBy']>, string> = { client: 'den Kunden', provider: 'den Anbieter', admin: 'eine Administratorin oder einen Administrator' };

export const de: Catalog = {
  greeting: (name) => `Hallo ${name},`,
  footer: 'Sie erhalten diese E-Mail wegen Ihres Timeslot-Kontos. In Ihren Benachrichtigungseinstellungen legen Sie fest, welche E-Mails Sie bekommen.',
  places: { videoPending: 'Videoanruf (den Link erhalten Sie in einer eigenen E-Mail)', phone: 'Telefonisch', inPerson: 'Vor Ort' },
  templates: {
    welcome: (f) => ({
      subject: 'Willkommen bei Timeslot',
      intro: 'Ihr Konto ist bereit. Finden Sie einen passenden Termin und buchen Sie ihn mit wenigen Klicks.',
      details: [],
      action: { label: 'Timeslot öffnen', url: f.links.home },
    }),
    booking_confirmed: (f) => ({
      subject: `Bestätigt: ${service(f)}${withWhom(f)}`,
      intro: f.audience === 'provider' ? `${f.counterpart ?? 'Ein Kunde'} hat ${service(f)} gebucht.` : `Ihre Buchung von ${service(f)} ist bestätigt.`,
      details: [...booking(f), ['Preis', text(f.price)]],
      action: view(f),
      outro: 'Mit der angehängten Einladung tragen Sie den Termin in Ihren Kalender ein.',
    }),
    booking_held: (f) => ({
      subject: `Für Sie reserviert: ${service(f)}`,
      intro: `Wir halten diesen Termin bis ${f.holdExpires ?? 'in Kürze'} für Sie frei. Schließen Sie die Zahlung ab, um ihn zu bestätigen.`,
      details: [...booking(f), ['Preis', text(f.price)]],
      action: view(f),
    }),
    booking_cancelled: (f) => ({
      subject: `Storniert: ${service(f)}${withWhom(f)}`,
      intro: `Diese Buchung wurde${f.cancelledBy === undefined ? '' : ` durch ${byWhom[f.cancelledBy]}`} storniert.`,
      details: [...booking(f), ['Grund', text(f.reason)]],
      action: { label: 'Anderen Termin finden', url: f.links.home },
      outro: 'Die angehängte Absage entfernt den Termin aus Ihrem Kalender.',
    }),
    booking_rescheduled: (f) => ({
      subject: `Verschoben: ${service(f)}${withWhom(f)}`,
      intro: 'Diese Buchung hat eine neue Zeit.',
      details: [...booking(f), ['Bisher', text(f.previousWhen)]],
      action: view(f),
      outro: 'Die angehängte Einladung aktualisiert Ihren Kalender.',
    }),
    booking_expired: (f) => ({
      subject: `Nicht bestätigt: ${service(f)}`,
      intro: 'Die Zahlung wurde nicht rechtzeitig abgeschlossen, daher wurde der reservierte Termin wieder freigegeben.',
      details: booking(f),
      action: { label: 'Erneut buchen', url: f.links.home },
    }),
    booking_reminder: (f) => ({
      subject: `Erinnerung: ${service(f)}${withWhom(f)}${f.startsIn === undefined ? '' : ` in ${f.startsIn}`}`,
      intro: `${service(f)} beginnt${f.startsIn === undefined ? ' bald' : ` in ${f.startsIn}`}.`,
      details: booking(f),
      action: view(f),
    }),
    meeting_ready: (f) => ({
      subject: `Ihr Meeting-Link: ${service(f)}`,
      intro: 'Der Meeting-Link für Ihre Buchung ist bereit.',
      details: booking(f),
      action: view(f),
    }),
    waitlist_offer: (f) => ({
      subject: `Ein Termin ist frei geworden: ${service(f)}`,
      intro: `Ein Termin, auf den Sie gewartet haben, ist frei. Er gehört Ihnen, wenn Sie ihn bis ${f.offerExpires ?? 'in Kürze'} annehmen.`,
      details: [
        ['Leistung', text(f.service)],
        ['Wann', text(f.when)],
        ['Annehmen bis', text(f.offerExpires)],
      ],
      action: { label: 'Termin annehmen', url: f.links.waitlist },
    }),
    payment_receipt: (f) => ({
      subject: `Beleg: ${f.payment?.amount ?? ''} für ${service(f)}`,
      intro: 'Vielen Dank für Ihre Zahlung. Dies ist Ihr Beleg.',
      details: [
        ['Betrag', text(f.payment?.amount)],
        ['Bezahlt', text(f.payment?.paidAt)],
        ['Zahlung', text(f.payment?.id)],
        ...booking(f),
      ],
      action: view(f),
    }),
  },
};
