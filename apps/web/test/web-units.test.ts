import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors } from '../src/api/problem';

/* What people read when the API refuses something (no browser: plain functions). */

const problem = (status: number, code: string, extra: object = {}) => ({ type: 'about:blank', title: 'x', status, code, ...extra });

describe('describeError', () => {
  it('says when to retry a 429, from Retry-After', () => {
    expect(describeError(new ApiError(429, problem(429, 'RATE_LIMITED'), 30))).toBe('Too many requests. Try again in 30 seconds.');
    expect(describeError(new ApiError(429, problem(429, 'RATE_LIMITED'), 1))).toBe('Too many requests. Try again in 1 second.');
    expect(describeError(new ApiError(429, problem(429, 'RATE_LIMITED'), 90))).toBe('Too many requests. Try again in 2 minutes.');
    expect(describeError(new ApiError(429, problem(429, 'RATE_LIMITED'), undefined))).toBe('Too many requests. Please wait a moment and try again.');
  });

  it('turns a taken slot into the friendly sentence, and keeps the server’s own sentence otherwise', () => {
    expect(describeError(new ApiError(409, problem(409, 'SLOT_TAKEN', { detail: 'The slot is taken.' }), undefined))).toBe('That time was just taken — pick another.');
    expect(describeError(new ApiError(409, problem(409, 'CANCELLATION_WINDOW_PASSED', { detail: 'Too late to cancel.' }), undefined))).toBe('Too late to cancel.');
  });

  it('never shows a 5xx’s internals, and names a busy service’s wait', () => {
    expect(describeError(new ApiError(500, problem(500, 'INTERNAL', { detail: 'TypeError at x.js:1' }), undefined))).toBe('The service is having trouble. Please try again shortly.');
    expect(describeError(new ApiError(503, problem(503, 'SERVICE_UNAVAILABLE'), 5))).toBe('The service is busy. Try again in 5 seconds.');
  });

  it('reads an unreachable server as such', () => {
    expect(describeError(new ApiError(0, undefined, undefined))).toBe('The server cannot be reached. Check your connection and try again.');
  });
});

describe('fieldErrors', () => {
  it('maps a 400’s field paths to form fields, the first message per field', () => {
    const error = new ApiError(
      400,
      problem(400, 'VALIDATION_FAILED', {
        errors: [
          { path: 'body.email', message: 'must be an email' },
          { path: 'body.email', message: 'second' },
          { path: 'body/password', message: 'too short' },
          { path: 'querystring.cursor', message: 'is invalid' },
          { path: 'body.location.address', message: 'is required' },
        ],
      }),
      undefined,
    );
    expect(fieldErrors(error)).toEqual({ email: 'must be an email', password: 'too short', 'querystring.cursor': 'is invalid', 'location.address': 'is required' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
