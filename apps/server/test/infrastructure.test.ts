import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { testServers } from '@timeslot/testing';
import { configSchema } from '../src/config';
import { createInfrastructure } from '../src/infrastructure';

const logger = createLogger({ level: 'silent' });
const config = configSchema.parse({
  DATABASE_URL: testServers.postgres,
  REDIS_URL: testServers.redis,
  AMQP_URL: testServers.amqp,
  NAMESPACE: `infra-${randomBytes(3).toString('hex')}`,
});

describe('distributed infrastructure', () => {
  it('gives a gateway-only process no database, broker or BullMQ connections, only Redis for cache and limits', async () => {
    const infrastructure = await createInfrastructure('distributed', config, { database: false }, logger);
    try {
      expect(infrastructure.database).toBeUndefined();
      expect(Object.keys(infrastructure.readiness)).toEqual(['redis']);
      // BullMQ's adapter exposes its queues; the in-process one has none to expose.
      expect('queues' in infrastructure.jobs).toBe(false);
      const redis = infrastructure.readiness.redis!;
      // Degraded, not down: a gateway works without Redis (rate limits fail open).
      expect(redis).toMatchObject({ critical: false });
      await (typeof redis === 'function' ? redis() : redis.check());
    } finally {
      await infrastructure.close();
    }
  });

  it('gives a process with services PostgreSQL, RabbitMQ and BullMQ, each checked by /readyz', async () => {
    const infrastructure = await createInfrastructure('distributed', config, { database: true }, logger);
    try {
      expect(infrastructure.database?.kind).toBe('postgres');
      expect(Object.keys(infrastructure.readiness).sort()).toEqual(['broker', 'database', 'redis']);
      expect('queues' in infrastructure.jobs).toBe(true);
      for (const check of Object.values(infrastructure.readiness)) await (typeof check === 'function' ? check() : check.check());
    } finally {
      await infrastructure.close();
    }
  });
});
