import { ConfigError } from '@timeslot/kernel';
import type { ProxyRoute } from './options';

function parseUpstream(service: string, text: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${service}: "${text}" is not a URL`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${service}: "${text}" must be an http(s) URL`);
  else if (url.search !== '' || url.hash !== '' || url.username !== '') problems.push(`${service}: "${text}" must not carry credentials, a query or a fragment`);
  else return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return undefined;
}

/**
 * Parse the gateway's route table, e.g.
 * `identity=http://127.0.0.1:4001,http://127.0.0.1:4011;scheduling=http://127.0.0.1:4002`:
 * each service's replicas, mapped onto the path prefixes its module declares (`prefixes`, from the
 * composition root). Every problem is reported at once, as a ConfigError.
 */
export function parseRouteTable(text: string, prefixes: Readonly<Record<string, readonly string[]>>): (ProxyRoute & { readonly service: string })[] {
  const problems: string[] = [];
  const routes: (ProxyRoute & { readonly service: string })[] = [];
  const seenServices = new Set<string>();
  const ownerOfPrefix = new Map<string, string>();

  for (const entry of text.split(';').map((part) => part.trim())) {
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    const service = (equals === -1 ? entry : entry.slice(0, equals)).trim();
    if (equals === -1 || service === '') {
      problems.push(`"${entry}" must look like name=http://host:port[,http://host:port…]`);
      continue;
    }
    if (seenServices.has(service)) {
      problems.push(`${service}: listed twice`);
      continue;
    }
    seenServices.add(service);
    const servicePrefixes = Object.hasOwn(prefixes, service) ? prefixes[service] : undefined;
    if (servicePrefixes === undefined) {
      problems.push(`${service}: unknown service (known: ${Object.keys(prefixes).join(', ') || 'none'})`);
      continue;
    }
    const upstreams = entry
      .slice(equals + 1)
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => parseUpstream(service, part, problems));
    if (upstreams.length === 0) problems.push(`${service}: no upstream URL`);
    const valid = upstreams.filter((url): url is string => url !== undefined);
    if (valid.length !== upstreams.length || valid.length === 0) continue;
    if (new Set(valid).size !== valid.length) problems.push(`${service}: an upstream is listed twice`);
    for (const prefix of servicePrefixes) {
      const owner = ownerOfPrefix.get(prefix);
      if (owner !== undefined) problems.push(`${prefix}: claimed by both ${owner} and ${service}`);
      ownerOfPrefix.set(prefix, service);
      routes.push({ service, prefix, upstreams: valid });
    }
  }

  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `route table: ${problem}`));
  // Longest prefix first, for readers of logs and for any matcher that scans in order.
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}
