/**
 * The issue-12 table: its row type, how a row meets its target, medians over runs, the aligned
 * text table, the JSON file and the before/after comparison of two such files.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@timeslot/testing';
import type { Result } from './lib';

/** What a row measured: a load (rate and latencies of its successful answers) or one amount. */
export type Measure =
  | { kind: 'load'; requestsPerSecond: number; p50: number; p95: number; p99: number; max: number; errors: number; unavailable: number }
  | { kind: 'amount'; amount: number; unit: 'ms' | 'MB' };

/** The limit a row is held against, measured in the same run: a rate (req/s, hashes/s…) or an amount (ms, MB). */
export interface Baseline {
  name: string;
  amount: number;
  unit: string;
}

export type Target =
  /** The row's rate is at least this fraction of its baseline's. */
  | { kind: 'ratio'; atLeast: number }
  /** The row's amount exceeds its baseline's by at most this much (same unit). */
  | { kind: 'over'; atMost: number }
  /**
   * p99 and the slowest answer bounded, no errors; with `everyRun`, met only if every run met it
   * (the median would hide a bad first run).
   */
  | { kind: 'latency'; p99AtMost: number; maxAtMost?: number; everyRun?: boolean };

export interface Row {
  /** Stable key, to match rows of two files. */
  id: string;
  scenario: string;
  measure: Measure;
  baseline?: Baseline;
  target: Target;
  /** Rate ÷ baseline rate (ratio targets) or amount − baseline amount (`over` targets). */
  versus?: number;
  met: boolean;
  /** The worst run's p99 (`everyRun` latency rows, median rows only). */
  worstP99?: number;
}

export function loadMeasure(result: Result): Measure {
  const { requestsPerSecond, p50, p95, p99, max, errors, non2xx, unavailable } = result;
  return { kind: 'load', requestsPerSecond, p50, p95, p99, max, errors: errors + non2xx, unavailable };
}

/** A row of one run, with its comparison to the baseline of that same run and whether it met its target. */
export function row(id: string, scenario: string, measure: Measure, target: Target, baseline?: Baseline): Row {
  const versus = baseline === undefined ? undefined : compare(measure, baseline, target);
  return judged({ id, scenario, measure, target, ...(baseline === undefined ? {} : { baseline }), ...(versus === undefined ? {} : { versus }), met: false });
}

function compare(measure: Measure, baseline: Baseline, target: Target): number | undefined {
  const value = measure.kind === 'load' ? measure.requestsPerSecond : measure.amount;
  if (target.kind === 'ratio') return baseline.amount === 0 ? 0 : value / baseline.amount;
  if (target.kind === 'over') return value - baseline.amount;
  return undefined;
}

function judged(r: Row): Row {
  const { target, measure } = r;
  let met: boolean;
  switch (target.kind) {
    case 'ratio':
      met = r.versus !== undefined && r.versus >= target.atLeast;
      break;
    case 'over':
      met = r.versus !== undefined && r.versus <= target.atMost;
      break;
    case 'latency':
      // A run without a single answer met nothing.
      met = measure.kind === 'load' && measure.requestsPerSecond > 0 && measure.errors === 0 && measure.p99 <= target.p99AtMost && (target.maxAtMost === undefined || measure.max <= target.maxAtMost);
      break;
  }
  return { ...r, met };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 1000) / 1000;
}

/**
 * One row per id: the median of each column over the runs, the median of the runs' own ratios (each
 * taken within its run), and met judged on those medians, except `everyRun` rows: met only if
 * every run met.
 */
export function medians(runs: readonly Row[][]): Row[] {
  const first = runs[0] ?? [];
  return first.map((template) => {
    const same = runs.map((rows) => rows.find((r) => r.id === template.id)).filter((r) => r !== undefined);
    const of = (pick: (r: Row) => number | undefined) => median(same.map(pick).filter((v) => v !== undefined));
    const loads = same.map((r) => r.measure).filter((m) => m.kind === 'load');
    const amounts = same.map((r) => r.measure).filter((m) => m.kind === 'amount');
    const measure: Measure =
      template.measure.kind === 'load'
        ? {
            kind: 'load',
            requestsPerSecond: median(loads.map((m) => m.requestsPerSecond)),
            p50: median(loads.map((m) => m.p50)),
            p95: median(loads.map((m) => m.p95)),
            p99: median(loads.map((m) => m.p99)),
            max: median(loads.map((m) => m.max)),
            errors: median(loads.map((m) => m.errors)),
            unavailable: median(loads.map((m) => m.unavailable)),
          }
        : { kind: 'amount', amount: median(amounts.map((m) => m.amount)), unit: template.measure.unit };
    const baseline = template.baseline === undefined ? undefined : { ...template.baseline, amount: of((r) => r.baseline?.amount) };
    const combined: Row = {
      id: template.id,
      scenario: template.scenario,
      measure,
      target: template.target,
      ...(baseline === undefined ? {} : { baseline }),
      ...(template.versus === undefined ? {} : { versus: of((r) => r.versus) }),
      met: false,
    };
    if (template.target.kind === 'latency' && template.target.everyRun === true) {
      return { ...combined, met: same.every((r) => r.met), worstP99: Math.max(...loads.map((m) => m.p99)) };
    }
    return judged(combined);
  });
}

const number = (value: number) => (Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(value % 1 === 0 ? 0 : 1));
const ms = (value: number) => `${number(value)} ms`;

function targetText(target: Target, unit: string | undefined): string {
  switch (target.kind) {
    case 'ratio':
      return `ratio >= ${Math.round(target.atLeast * 100)}%`;
    case 'over':
      return `<= baseline + ${target.atMost} ${unit ?? ''}`.trimEnd();
    case 'latency':
      return [`p99 <= ${target.p99AtMost} ms`, ...(target.maxAtMost === undefined ? [] : [`max <= ${target.maxAtMost} ms`]), 'no errors', ...(target.everyRun === true ? ['every run'] : [])].join(', ');
  }
}

function versusText(r: Row): string {
  if (r.versus === undefined) return '';
  if (r.target.kind === 'ratio') return `${(r.versus * 100).toFixed(1)}%`;
  const unit = r.measure.kind === 'amount' ? r.measure.unit : '';
  return `${r.versus >= 0 ? '+' : ''}${number(r.versus)} ${unit}`;
}

const headers = ['scenario', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors', 'value', 'baseline', 'ratio', 'target', 'met'];

function cells(r: Row): string[] {
  const m = r.measure;
  const load =
    m.kind === 'load'
      ? [number(m.requestsPerSecond), ms(m.p50), ms(m.p95), ms(m.p99), ms(m.max), m.unavailable > 0 ? `${number(m.errors)} (503: ${number(m.unavailable)})` : number(m.errors), '']
      : ['', '', '', '', '', '', `${number(m.amount)} ${m.unit}`];
  const baseline = r.baseline === undefined ? '—' : `${r.baseline.name} ${number(r.baseline.amount)} ${r.baseline.unit}`;
  const met = `${r.met ? 'yes' : 'no'}${r.worstP99 === undefined ? '' : ` (worst run p99 ${ms(r.worstP99)})`}`;
  return [r.scenario, ...load, baseline, versusText(r), targetText(r.target, m.kind === 'amount' ? m.unit : undefined), met];
}

/** A plain text table, columns padded to their widest cell; numbers right-aligned. */
export function textTable(header: readonly string[], lines: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  // A column of numbers (each perhaps with its unit) is right-aligned.
  const numeric = header.map((_, i) => lines.every((l) => /^([-+]?[\d.]+%?( [\w/]+)?)?$/.test(l[i] ?? '')));
  const format = (l: readonly string[]) => l.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

/** Named scenarios' results (outside the table), one line each. */
export const formatResults = (results: readonly Result[]): string =>
  textTable(
    ['scenario', 'rate/s', 'p50', 'p95', 'p99', 'max', 'non-2xx', 'errors'],
    results.map((r) => [r.scenario, number(r.requestsPerSecond), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), number(r.non2xx), number(r.errors)]),
  );

export const formatRows = (rows: readonly Row[]): string => textTable(headers, rows.map(cells));

export interface TableFile {
  commit: string;
  node: string;
  cores: number;
  /** Seconds per measurement. */
  duration: number;
  runs: number;
  startedAt: string;
  perRun: Row[][];
  medians: Row[];
}

/** The checkout's short commit, marked when the work tree has changes of its own. */
export function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`;
}

/** bench/results/<iso-time>-<short commit>.json; its path. `checkout` is commit() taken when the bench started. */
export async function writeTable(checkout: string, startedAt: Date, duration: number, perRun: Row[][]): Promise<string> {
  const file: TableFile = {
    commit: checkout,
    node: process.version,
    cores: availableParallelism(),
    duration,
    runs: perRun.length,
    startedAt: startedAt.toISOString(),
    perRun,
    medians: medians(perRun),
  };
  const directory = path.join(repoRoot, 'bench/results');
  await mkdir(directory, { recursive: true });
  const target = path.join(directory, `${file.startedAt.replaceAll(':', '-')}-${file.commit}.json`);
  await writeFile(target, `${JSON.stringify(file, null, 2)}\n`);
  return target;
}

/** `compare <before.json> <after.json>`: the medians' key columns side by side. */
export async function compareFiles(beforePath: string, afterPath: string): Promise<string> {
  const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as TableFile;
  const [before, after] = [await read(beforePath), await read(afterPath)];
  const value = (r: Row | undefined) => (r === undefined ? '' : r.measure.kind === 'load' ? `${number(r.measure.requestsPerSecond)} req/s` : `${number(r.measure.amount)} ${r.measure.unit}`);
  const p99 = (r: Row | undefined) => (r?.measure.kind === 'load' ? ms(r.measure.p99) : '');
  const met = (r: Row | undefined) => (r === undefined ? '' : r.met ? 'yes' : 'no');
  const ids = [...new Set([...before.medians, ...after.medians].map((r) => r.id))];
  const lines = ids.map((id) => {
    const [b, a] = [before.medians.find((r) => r.id === id), after.medians.find((r) => r.id === id)];
    const either = (a ?? b)!;
    return [either.scenario, value(b), value(a), p99(b), p99(a), b === undefined ? '' : versusText(b), a === undefined ? '' : versusText(a), targetText(either.target, either.measure.kind === 'amount' ? either.measure.unit : undefined), met(b), met(a)];
  });
  const title = `before: ${before.commit} (${before.startedAt}, ${before.runs} runs × ${before.duration} s)   after: ${after.commit} (${after.startedAt}, ${after.runs} runs × ${after.duration} s)`;
  return `${title}\n\n${textTable(['scenario', 'before', 'after', 'p99 before', 'p99 after', 'ratio before', 'ratio after', 'target', 'met before', 'met after'], lines)}`;
}
