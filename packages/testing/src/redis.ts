import { Redis } from 'ioredis';
import { testServers, uniqueName } from './servers';

/** Every key that starts with `prefix`, sorted (SCAN, so a busy server is never blocked). */
export async function redisKeysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

/** Delete every key that starts with `prefix`: a test's or a run's clean-up. */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redisKeysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

/**
 * Key prefixes for one test file on the shared Redis: `next()` gives each handle a prefix of its
 * own under the file's, `admin` reads keys directly, and `close()` deletes everything under the
 * file's prefix and disconnects (call it in afterAll).
 */
export function redisTestPrefixes(label: string): { readonly admin: Redis; readonly next: () => string; readonly close: () => Promise<void> } {
  const filePrefix = uniqueName(label);
  const admin = new Redis(testServers.redis);
  let made = 0;
  return {
    admin,
    next: () => `${filePrefix}:${++made}:`,
    async close() {
      await deleteRedisKeys(admin, filePrefix);
      await admin.quit();
    },
  };
}
