import { spawn } from 'node:child_process';
import { cliPath, repoRoot } from '@timeslot/testing';

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `command args` to completion with stdout and stderr kept apart; `input` goes to stdin. */
export async function collect(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

/** Run `timeslot <args>` to completion with stdout and stderr kept apart; `input` goes to stdin. */
export async function run(args: readonly string[], env: Record<string, string | undefined>, input = ''): Promise<Run> {
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return collect(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: merged, input });
}

/** A line of a JavaScript stack trace ("    at fn (file:1:2)"). */
export const stackLine = /^\s+at .+[:(]/m;
