import { describe, expect, it } from 'vitest';
import { AppError, deadlineFrom, isDatabaseUnavailable, toAppError } from '@timeslot/kernel';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises connection-class SQLSTATEs and driver messages, also wrapped', () => {
    for (const error of [
      withCode('08001'),
      withCode('08006'),
      withCode('57P01'),
      withCode('57P02'),
      withCode('57P03'),
      withCode('53300'),
      new Error('Connection terminated unexpectedly'),
      new Error('PGlite is closed'),
      new Error('Failed query: select 1', { cause: withCode('08006') }),
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      const appError = toAppError(error);
      expect(appError.code).toBe('DATABASE_UNAVAILABLE');
      expect(appError.status).toBe(503);
      expect(appError.headers?.['retry-after']).toBeDefined();
    }
  });

  it('leaves statement errors, errno codes from other clients and AppErrors alone', () => {
    for (const error of [withCode('23505'), withCode('42P01'), withCode('ECONNREFUSED'), withCode('EPIPE'), new AppError('SLOT_TAKEN', 409, 'taken')]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
    }
    expect(toAppError(withCode('23505')).code).toBe('INTERNAL');
  });
});

describe('deadlineFrom', () => {
  it('adds a positive whole number of milliseconds to the arrival time, and ignores anything else', () => {
    expect(deadlineFrom('250', 1_000)).toBe(1_250);
    expect(deadlineFrom(' 250 ', 1_000)).toBe(1_250);
    for (const bad of [undefined, '', '0', '-1', '1.5', '1e3', 'abc', ['1', '2'], '9999999999']) {
      expect(deadlineFrom(bad, 1_000), String(bad)).toBeUndefined();
    }
  });
});
