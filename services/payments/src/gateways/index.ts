import type { Logger } from '@timeslot/kernel';
import type { PaymentProvider } from './gateway';
import type { RazorpaySettings } from './razorpay';
import { createSimulatorGateway, type SimulatorGateway } from './simulator';
import type { StripeSettings } from './stripe';

export type { PaymentProvider } from './gateway';

/** Which gateway an installation uses, with its settings (secrets come from config only). */
export type GatewaySettings =
  | {
      readonly kind: 'simulator';
      readonly secret: string;
      readonly publicUrl?: () => string | undefined;
      readonly webhookBaseUrl?: () => string | undefined;
    }
  | ({ readonly kind: 'stripe' } & StripeSettings)
  | ({ readonly kind: 'razorpay' } & RazorpaySettings);

/** Stripe's and Razorpay's SDKs are loaded only by the installation that uses them (they take a while to load). */
export async function createGateway(settings: GatewaySettings, logger: Logger): Promise<{ gateway: PaymentProvider; simulator?: SimulatorGateway }> {
  switch (settings.kind) {
    case 'simulator': {
      const simulator = createSimulatorGateway({
        secret: settings.secret,
        publicUrl: settings.publicUrl ?? (() => undefined),
        webhookBaseUrl: settings.webhookBaseUrl ?? (() => undefined),
        logger,
      });
      return { gateway: simulator, simulator };
    }
    case 'stripe':
      return { gateway: (await import('./stripe')).createStripeGateway(settings) };
    case 'razorpay':
      return { gateway: (await import('./razorpay')).createRazorpayGateway(settings) };
  }
}
