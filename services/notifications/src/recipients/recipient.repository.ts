import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { NotificationsTables } from '../tables';

export interface Recipient {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly disabled: boolean;
}

/** What a user event changes; `at` is when it happened, so an older event never undoes a newer one. */
export type RecipientChange =
  | { readonly name: string; readonly timeZone: string; readonly locale: string }
  | { readonly disabled: boolean };

/** The `recipients` projection, kept from identity's user.* events. */
export function createRecipientRepository(tables: NotificationsTables) {
  const { recipients } = tables;
  const columns = {
    userId: recipients.userId,
    email: recipients.email,
    name: recipients.name,
    role: recipients.role,
    timeZone: recipients.timeZone,
    locale: recipients.locale,
    disabled: recipients.disabled,
  };
  return {
    async register(db: Db, recipient: Omit<Recipient, 'disabled'>, at: Date): Promise<void> {
      await db
        .insert(recipients)
        .values({ ...recipient, updatedAt: at })
        .onConflictDoUpdate({
          target: recipients.userId,
          set: { email: recipient.email, name: recipient.name, role: recipient.role, timeZone: recipient.timeZone, locale: recipient.locale, updatedAt: at },
          setWhere: lte(recipients.updatedAt, at),
        });
    },

    /**
     * Applies a change unless a newer one is already recorded. Returns false when the user is
     * unknown here (their user.registered not consumed yet): the caller lets the bus retry.
     */
    async change(db: Db, userId: string, change: RecipientChange, at: Date): Promise<boolean> {
      const updated = await db
        .update(recipients)
        .set({ ...change, updatedAt: at })
        .where(and(eq(recipients.userId, userId), lte(recipients.updatedAt, at)))
        .returning({ userId: recipients.userId });
      if (updated.length > 0) return true;
      return (await this.find(db, userId)) !== undefined;
    },

    async find(db: Db, userId: string): Promise<Recipient | undefined> {
      const [row] = await db.select(columns).from(recipients).where(eq(recipients.userId, userId));
      return row;
    },

    async findMany(db: Db, userIds: readonly string[]): Promise<Map<string, Recipient>> {
      if (userIds.length === 0) return new Map();
      const rows = await db.select(columns).from(recipients).where(inArray(recipients.userId, [...userIds]));
      return new Map(rows.map((row) => [row.userId, row]));
    },
  };
}

export type RecipientRepository = ReturnType<typeof createRecipientRepository>;
