import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonErrorCodes } from '@timeslot/kernel';
import { gatewayErrorCodes } from '@timeslot/gateway';
import { identityErrorCodes } from '@timeslot/identity';
import { schedulingErrorCodes } from '@timeslot/scheduling';
import { repoRoot } from '@timeslot/testing';
import { configSchema } from '../src/config';

describe('documentation stays true', () => {
  it('docs/errors.md lists exactly the codes the code can return, with their statuses', async () => {
    const doc = await readFile(path.join(repoRoot, 'docs/errors.md'), 'utf8');
    const documented = Object.fromEntries([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(documented).toEqual({ ...commonErrorCodes, ...gatewayErrorCodes, ...identityErrorCodes, ...schedulingErrorCodes });
  });

  it('the README documents every configuration variable', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
