import { describe, expect, it } from 'vitest';
import { ConfigError } from '@timeslot/kernel';
import { clientAddressKey, parseRouteTable } from '../src';
import { looseCanonicalPath, parseAuthRoute } from '../src/rate-limit';

const prefixes = {
  identity: ['/api/v1/auth', '/api/v1/users'],
  scheduling: ['/api/v1/providers', '/api/v1/bookings'],
  calendar: ['/api/v1/providers/me/calendar'],
};

describe('parseRouteTable', () => {
  it('maps each service’s replicas onto its prefixes, longest prefix first', () => {
    const routes = parseRouteTable(
      ' identity=http://127.0.0.1:4001, http://127.0.0.1:4011/ ; scheduling=http://10.0.0.2:4002;calendar=https://cal.internal/base/;',
      prefixes,
    );
    expect(routes[0]).toEqual({ service: 'calendar', prefix: '/api/v1/providers/me/calendar', upstreams: ['https://cal.internal/base'] });
    expect(routes).toContainEqual({ service: 'identity', prefix: '/api/v1/auth', upstreams: ['http://127.0.0.1:4001', 'http://127.0.0.1:4011'] });
    expect(routes).toContainEqual({ service: 'identity', prefix: '/api/v1/users', upstreams: ['http://127.0.0.1:4001', 'http://127.0.0.1:4011'] });
    expect(routes).toContainEqual({ service: 'scheduling', prefix: '/api/v1/bookings', upstreams: ['http://10.0.0.2:4002'] });
    expect(routes).toHaveLength(5);
    expect(parseRouteTable('', prefixes)).toEqual([]);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseRouteTable('identity=ftp://x;nobody=http://a;identity=http://b;scheduling=;calendar=not a url;=http://c', prefixes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('identity: "ftp://x" must be an http(s) URL');
    expect(problems).toContain('nobody: unknown service');
    expect(problems).toContain('identity: listed twice');
    expect(problems).toContain('scheduling: no upstream URL');
    expect(problems).toContain('calendar: "not a url" is not a URL');
    expect(problems).toContain('"=http://c" must look like');
  });

  it('refuses two services claiming one prefix', () => {
    expect(() => parseRouteTable('a=http://x;b=http://y', { a: ['/api/v1/x'], b: ['/api/v1/x'] })).toThrow(/claimed by both a and b/);
  });
});

describe('clientAddressKey', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('groups IPv6 addresses by /64', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('answers the same for an address it has seen before', () => {
    for (let i = 0; i < 3; i++) expect(clientAddressKey('2001:DB8:1:2::abcd')).toBe('2001:db8:1:2::/64');
  });
});

describe('looseCanonicalPath', () => {
  it('folds plain paths (case, trailing slashes, query) like any other spelling', () => {
    expect(looseCanonicalPath('/API/v1/Auth/Login/')).toBe('/api/v1/auth/login');
    expect(looseCanonicalPath('/api/v1/auth/login//?next=/x')).toBe('/api/v1/auth/login');
    expect(looseCanonicalPath('/')).toBe('/');
    expect(looseCanonicalPath('/api/v1/users/me?x=%41')).toBe('/api/v1/users/me');
    expect(looseCanonicalPath('//api//v1/./auth/x/../login;jsessionid=1')).toBe('/api/v1/auth/login');
    expect(looseCanonicalPath('/api/v1/%61uth/login')).toBe('/api/v1/auth/login');
  });
});

describe('parseAuthRoute', () => {
  it('reads an optional method and a path prefix', () => {
    expect(parseAuthRoute('POST /api/v1/auth/login')).toEqual({ method: 'POST', prefix: '/api/v1/auth/login' });
    expect(parseAuthRoute('/api/v1/auth/')).toEqual({ method: undefined, prefix: '/api/v1/auth' });
    expect(() => parseAuthRoute('api/v1/auth')).toThrow(/must look like/);
  });
});
