import { describe, expect, it } from 'vitest';
import { timeZoneField } from '@timeslot/kernel';

describe('timeZoneField', () => {
  it('fixes letter case but keeps current names that the runtime maps to legacy ones', () => {
    expect(timeZoneField.parse('europe/paris')).toBe('Europe/Paris');
    expect(timeZoneField.parse('Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(timeZoneField.parse('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(timeZoneField.parse(' Europe/Kyiv ')).toBe('Europe/Kyiv');
  });

  it('refuses what is not an IANA zone', () => {
    for (const bad of ['Mars/Olympus', '+02:00', '', 'x'.repeat(65)]) expect(timeZoneField.safeParse(bad).success, bad).toBe(false);
  });
});
