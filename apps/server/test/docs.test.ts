import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonErrorCodes } from '@timeslot/kernel';
import { gatewayErrorCodes } from '@timeslot/gateway';
import { identityErrorCodes } from '@timeslot/identity';
import { notificationsErrorCodes } from '@timeslot/notifications';
import { paymentsErrorCodes } from '@timeslot/payments';
import { schedulingErrorCodes } from '@timeslot/scheduling';
import { calendarErrorCodes } from '@timeslot/calendar';
import { repoRoot } from '@timeslot/testing';
import { configSchema } from '../src/config';

describe('documentation stays true', () => {
  it('docs/errors.md lists exactly the codes the code can return, with their statuses', async () => {
    const doc = await readFile(path.join(repoRoot, 'docs/errors.md'), 'utf8');
    const documented = Object.fromEntries([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(documented).toEqual({
      ...commonErrorCodes,
      ...gatewayErrorCodes,
      ...identityErrorCodes,
      ...schedulingErrorCodes,
      ...calendarErrorCodes,
      ...notificationsErrorCodes,
      ...paymentsErrorCodes,
    });
  });

  it('the README documents every configuration variable', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('every relative link in README.md and docs/*.md resolves to a file in the repository, and every anchor to a heading', async () => {
    const files = ['README.md', ...(await readdir(path.join(repoRoot, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = withoutCode(await readFile(path.join(repoRoot, file), 'utf8'));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (target === undefined || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        checked += 1;
        const [pathPart = '', anchor] = target.split('#');
        const resolved = pathPart === '' ? path.join(repoRoot, file) : path.resolve(path.dirname(path.join(repoRoot, file)), decodeURIComponent(pathPart));
        if (!resolved.startsWith(repoRoot + path.sep) || !existsSync(resolved)) {
          broken.push(`${file}: ${target} (no such file in the repository)`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md')) {
          const slugs = headingSlugs(await readFile(resolved, 'utf8'));
          if (!slugs.has(anchor)) broken.push(`${file}: ${target} (no heading with that anchor)`);
        }
      }
      // A relative path written in prose, "(../x.md)", is as broken as a link when it leads nowhere.
      for (const [mention] of text.matchAll(/(?<!\])\(\.\.?\/[^)\s#]+(?:#[^)\s]*)?\)/g)) {
        const target = mention.slice(1, -1).split('#')[0] ?? '';
        const resolved = path.resolve(path.dirname(path.join(repoRoot, file)), target);
        if (!resolved.startsWith(repoRoot + path.sep) || !existsSync(resolved)) broken.push(`${file}: ${target} (not a file in the repository)`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(3);
  });
});

/** Fenced code blocks and inline code hold examples, not links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (heading ?? '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    slugs.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return slugs;
}
