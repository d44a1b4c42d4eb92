import { z } from 'zod';
import { notificationKinds, type NotificationKind } from '../kinds';

export const channelSchema = z
  .enum(['email', 'in_app', 'off'])
  .describe('email: in-app and by email; in_app: in-app only; off: neither.');

const everyKind = Object.fromEntries(notificationKinds.map((kind) => [kind, channelSchema])) as Record<NotificationKind, typeof channelSchema>;

export const preferencesSchema = z
  .object({
    channels: z.object(everyKind).describe('The channel of every kind, mine or its default.'),
    defaults: z.object(everyKind).describe('What each kind uses when I have not chosen.'),
  })
  .describe('How I want to hear of each kind of notification.');

export type PreferencesBody = z.infer<typeof preferencesSchema>;

export const updatePreferencesBody = z
  .object({
    channels: z
      .object(Object.fromEntries(notificationKinds.map((kind) => [kind, channelSchema.optional()])) as Record<NotificationKind, z.ZodOptional<typeof channelSchema>>)
      .strict()
      .refine((channels) => Object.values(channels).some((channel) => channel !== undefined), {
        message: 'name at least one kind',
        // An unknown kind is the error to report, not a second one about the same object.
        when: (payload) => payload.issues.length === 0,
      }),
  })
  .strict()
  .describe('The kinds to change; the others keep their channel.');

export type UpdatePreferencesInput = z.infer<typeof updatePreferencesBody>;
