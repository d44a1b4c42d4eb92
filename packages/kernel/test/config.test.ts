import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from '@timeslot/kernel';

const schema = z.object({ PORT: env.port(8080), WORKERS: env.int(2, 1), DEBUG: env.bool(false), ORIGINS: env.list([]), REDIS_URL: env.url(['redis', 'rediss']) });

describe('loadConfig', () => {
  it('applies defaults and coerces', () => {
    expect(loadConfig(schema, { REDIS_URL: 'redis://x:6379', ORIGINS: 'a, b,' })).toEqual({ PORT: 8080, WORKERS: 2, DEBUG: false, ORIGINS: ['a', 'b'], REDIS_URL: 'redis://x:6379' });
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig(schema, { PORT: 'eighty', WORKERS: '0', DEBUG: 'maybe', REDIS_URL: 'http://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'WORKERS', 'DEBUG', 'REDIS_URL']) expect(problems).toContain(name);
    }
  });
});
