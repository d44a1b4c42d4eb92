import type { Identity } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import { defaultChannels, type Channel, type NotificationKind } from '../kinds';
import type { PreferencesBody, UpdatePreferencesInput } from './preference.schemas';

export async function getPreferences(ctx: NotificationsContext, caller: Identity): Promise<PreferencesBody> {
  return { channels: await ctx.store.preferences.all(ctx.database.db, caller.userId), defaults: { ...defaultChannels } };
}

/** Applies to events handled from now on; what was already stored or sent stays. */
export async function updatePreferences(ctx: NotificationsContext, caller: Identity, input: UpdatePreferencesInput): Promise<PreferencesBody> {
  const changes = Object.entries(input.channels).filter((entry): entry is [NotificationKind, Channel] => entry[1] !== undefined);
  await ctx.store.preferences.set(ctx.database.db, caller.userId, changes);
  return getPreferences(ctx, caller);
}
