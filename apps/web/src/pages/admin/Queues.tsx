import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, type MouseEvent } from 'react';
import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';
import { useViewer } from '../../auth/auth';
import { session } from '../../auth/session';
import { Button, Empty, ErrorMessage, Loading, Notice, QueryError } from '../../components/ui';
import { formatDateTime, formatTime } from '../../lib/format';

type QueueSummary = paths['/api/v1/admin/queues']['get']['responses'][200]['content']['application/json']['items'][number];
type FailedJob = paths['/api/v1/admin/queues/{queue}/failed']['get']['responses'][200]['content']['application/json']['items'][number];

/** Counts refresh this often while the tab is open and the page visible (TanStack pauses hidden pages). */
const refreshMs = 5_000;
const failedShown = 20;
const boardPath = '/admin/queues';

/** How a queue is doing, in words (never colour alone). */
function health(counts: QueueSummary['counts']): { readonly label: string; readonly tone: 'ok' | 'warn' | 'bad' } {
  if (counts.failed > 0) return { label: 'Has failures', tone: 'bad' };
  if (counts.waiting + counts.delayed > 1000) return { label: 'Backlog', tone: 'warn' };
  return { label: 'Healthy', tone: 'ok' };
}

/** Every job queue's counts by state, each queue's recent failures with a retry, and the Bull Board when it runs. */
export function Queues() {
  const viewer = useViewer();
  const queues = useQuery({
    queryKey: ['queues', 'list'],
    queryFn: async () => data(await api.GET('/api/v1/admin/queues')),
    refetchInterval: refreshMs,
  });
  const items = queues.data?.items ?? [];
  const captionId = useId();

  return (
    <>
      <h2>Job queues</h2>
      <BoardLink />
      {queues.isPending ? <Loading label="Loading the job queues…" /> : null}
      {queues.isError ? (
        <QueryError error={queues.error} retry={() => queues.refetch()} />
      ) : null}
      {queues.isSuccess && items.length === 0 ? <Empty>This installation has no job queues.</Empty> : null}
      {items.length > 0 ? (
        <>
          <p className="muted queue-updated">
            Updated <time dateTime={new Date(queues.dataUpdatedAt).toISOString()}>{formatTime(new Date(queues.dataUpdatedAt), viewer)}</time>, every {refreshMs / 1000}{' '}
            seconds while this tab is open.
          </p>
          {/* Focusable, so keyboard users can scroll it sideways on a narrow screen. */}
          <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="queue-table">
              <caption id={captionId}>Jobs by state</caption>
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col">Health</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Active</th>
                  <th scope="col">Delayed</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {items.map((queue) => {
                  const state = health(queue.counts);
                  return (
                    <tr key={queue.name}>
                      <th scope="row">{queue.name}</th>
                      <td>
                        <span className={`tag tag-${state.tone}`}>{state.label}</span>
                      </td>
                      <td className="num">{queue.counts.waiting}</td>
                      <td className="num">{queue.counts.active}</td>
                      <td className="num">{queue.counts.delayed}</td>
                      <td className="num">{queue.counts.failed}</td>
                      <td className="num">{queue.counts.completed}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {items.map((queue) => (
            <FailedJobs key={queue.name} queue={queue.name} failedCount={queue.counts.failed} />
          ))}
        </>
      ) : null}
    </>
  );
}

/** A queue's most recent failures (fetched only when it has some), each with its error and a retry. */
function FailedJobs({ queue, failedCount }: { readonly queue: string; readonly failedCount: number }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const failed = useQuery({
    queryKey: ['queues', 'failed', queue],
    queryFn: async () => data(await api.GET('/api/v1/admin/queues/{queue}/failed', { params: { path: { queue }, query: { limit: failedShown } } })),
    enabled: failedCount > 0,
    refetchInterval: refreshMs,
  });
  const retry = useMutation({
    mutationFn: async (job: FailedJob) => {
      // openapi-fetch percent-encodes path parameters: ids with "/" or ":" stay one segment.
      data(await api.POST('/api/v1/admin/queues/{queue}/jobs/{jobId}/retry', { params: { path: { queue, jobId: job.id } } }));
      return job;
    },
    onSettled: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: ['queues', 'list'] }), queryClient.invalidateQueries({ queryKey: ['queues', 'failed', queue] })]),
  });
  const jobs = failedCount > 0 ? (failed.data?.items ?? []) : [];

  return (
    <section aria-labelledby={headingId} className="queue-failed">
      <h3 id={headingId}>Failed jobs in {queue}</h3>
      {retry.isSuccess ? <Notice tone="success">Job {retry.data.id} was queued again.</Notice> : null}
      <ErrorMessage error={retry.error ?? undefined} />
      {failedCount === 0 ? <Empty>None.</Empty> : null}
      {failedCount > 0 && failed.isPending ? <Loading label="Loading failed jobs…" /> : null}
      {failedCount > 0 && failed.isError ? <ErrorMessage error={failed.error} /> : null}
      {failedCount > 0 && failed.isSuccess && jobs.length === 0 ? <Empty>None any more.</Empty> : null}
      {jobs.length > 0 ? (
        <ul className="admin-list">
          {jobs.map((job) => (
            <FailedJobItem key={job.id} job={job} busy={retry.isPending && retry.variables.id === job.id} onRetry={() => retry.mutate(job)} />
          ))}
        </ul>
      ) : null}
      {failedCount > jobs.length && jobs.length > 0 ? <p className="muted">The {jobs.length} most recent of {failedCount} shown.</p> : null}
    </section>
  );
}

function FailedJobItem({ job, busy, onRetry }: { readonly job: FailedJob; readonly busy: boolean; readonly onRetry: () => void }) {
  const viewer = useViewer();
  const titleId = useId();
  return (
    <li className="admin-item">
      <div className="admin-item-head">
        <h4 id={titleId} className="admin-item-title">
          {job.name} <code className="job-id">{job.id}</code>
        </h4>
      </div>
      <p className="admin-item-line muted">
        Failed <time dateTime={job.failedAt}>{formatDateTime(job.failedAt, viewer)}</time> after {job.attempt === 1 ? '1 attempt' : `${job.attempt} attempts`}
        {job.requestId === null ? null : (
          <>
            {' · '}request <code>{job.requestId}</code>
          </>
        )}
      </p>
      <pre className="job-error">{job.error}</pre>
      <div className="actions">
        <Button variant="secondary" busy={busy} aria-describedby={titleId} onClick={onRetry}>
          Retry
        </Button>
      </div>
    </li>
  );
}

/**
 * The Bull Board runs only in distributed mode (it reads BullMQ's keys in Redis). Elsewhere the
 * path is the API's 404, so it is probed first; any other answer (401 without a token) means it is
 * there. Browsers send no Authorization header when they navigate, so the link opens the board
 * with a fresh access token in the address, which the board trades for a cookie and removes.
 */
function BoardLink() {
  const board = useQuery({
    queryKey: ['queues', 'board'],
    queryFn: async () => (await fetch(boardPath, { method: 'HEAD', redirect: 'manual', cache: 'no-store' })).status !== 404,
    staleTime: Infinity,
    retry: false,
  });
  if (board.data !== true) return null;

  async function open(event: MouseEvent<HTMLAnchorElement>) {
    // A modified click (new tab or window) goes to the plain address: the board then asks for a token.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const token = await session.accessToken();
    window.location.assign(token === null ? boardPath : `${boardPath}?token=${encodeURIComponent(token)}`);
  }

  return (
    <p>
      <a href={boardPath} onClick={(event) => void open(event)}>
        Open the job board (Bull Board)
      </a>{' '}
      for every job, its data and its history.
    </p>
  );
}
