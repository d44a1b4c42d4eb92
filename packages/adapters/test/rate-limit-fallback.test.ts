import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, freePort, redisTestPrefixes, testServers } from '@timeslot/testing';
import { rateLimitContract } from '@timeslot/ports/contracts/rate-limit.contract';
import { createFallbackRateLimitStore } from '../src/rate-limit/fallback';
import { createRedisRateLimitStore } from '../src/rate-limit/redis';

const prefixes = redisTestPrefixes('test_ratelimit_fallback');
afterAll(() => prefixes.close());

interface Line {
  readonly obj: object;
  readonly msg: string;
}
function recordingLogger() {
  const lines: Line[] = [];
  return { lines, logger: { warn: (obj: object, msg: string) => lines.push({ obj, msg }), info: (obj: object, msg: string) => lines.push({ obj, msg }) } };
}

// With Redis up the fallback store is the shared store: the whole contract holds, replicas included.
rateLimitContract('redis with local fallback', async () => {
  const keyPrefix = prefixes.next();
  const shared = [createRedisRateLimitStore({ url: testServers.redis, keyPrefix }), createRedisRateLimitStore({ url: testServers.redis, keyPrefix })];
  const [store, replica] = shared.map((s) => createFallbackRateLimitStore({ shared: s, logger: recordingLogger().logger }));
  return {
    store: store!,
    replica: replica!,
    cleanup: async () => {
      await Promise.all([store!.close(), replica!.close(), ...shared.map((s) => s.close())]);
      await deleteRedisKeys(prefixes.admin, keyPrefix);
    },
  };
});

describe('a fallback store whose Redis is unreachable', () => {
  it('still limits, in the process’s memory, gives units back, and logs the outage once', async () => {
    // Nothing listens on this port: every Redis call fails (fast, once its breaker opens).
    const { lines, logger } = recordingLogger();
    const shared = createRedisRateLimitStore({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: prefixes.next(), logger: recordingLogger().logger });
    const store = createFallbackRateLimitStore({ shared, logger });
    try {
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await store.hit('login:ada', 3, 60_000));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      const last = decisions[2]!;
      await store.release('login:ada', 60_000, last.window);
      await store.release('login:ada', 60_000, last.window);
      expect((await store.peek('login:ada', 3, 60_000)).remaining).toBe(1);
      // 4 hits, 2 releases, 1 peek: one warning for the outage, not one line per failed call.
      const warnings = lines.filter((line) => /unreachable/.test(line.msg));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.obj).toMatchObject({ dependency: 'redis', client: 'attempt-limits' });
    } finally {
      await store.close();
      await shared.close();
    }
  });
});
