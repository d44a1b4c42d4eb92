import type { Logger } from '@timeslot/kernel';
import type { PaymentProvider } from './gateway';
import { createRazorpayGateway, type RazorpaySettings } from './razorpay';
import { createSimulatorGateway, type SimulatorGateway } from './simulator';
import { createStripeGateway, type StripeSettings } from './stripe';

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

export function createGateway(settings: GatewaySettings, logger: Logger): { gateway: PaymentProvider; simulator?: SimulatorGateway } {
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
      return { gateway: createStripeGateway(settings) };
    case 'razorpay':
      return { gateway: createRazorpayGateway(settings) };
  }
}
