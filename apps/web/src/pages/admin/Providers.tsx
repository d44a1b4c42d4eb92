import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { Button, Empty, ErrorMessage, Loading, QueryError, TextField } from '../../components/ui';

const pageSize = 20;

/** Published providers by name, title or specialty, each with a link to their public page. */
export function Providers() {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['providers', 'search', q],
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/api/v1/providers', {
          params: { query: { limit: pageSize, ...(q === '' ? {} : { q }), ...(pageParam === null ? {} : { cursor: pageParam }) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const providers = list.data?.pages.flatMap((page) => page.items) ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    setQ(draft.trim());
  }

  return (
    <>
      <h2>Providers</h2>
      <form className="admin-search" role="search" aria-label="Providers" onSubmit={submit} noValidate>
        <TextField label="Name, title or specialty" type="search" maxLength={100} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <div className="field admin-search-submit">
          <Button type="submit">Search providers</Button>
        </div>
      </form>
      {list.isPending ? <Loading label="Loading providers…" /> : null}
      {list.isError && providers.length === 0 ? (
        <QueryError error={list.error} retry={() => list.refetch()} />
      ) : null}
      {list.isSuccess && providers.length === 0 ? <Empty>No published provider matches.</Empty> : null}
      {providers.length > 0 ? (
        <>
          <ul className="admin-list" aria-label="Providers by name">
            {providers.map((provider) => (
              <li key={provider.id} className="admin-item">
                <div className="admin-item-head">
                  <h3 className="admin-item-title">
                    <Link href={`/providers/${provider.id}`}>{provider.displayName}</Link>
                  </h3>
                  {provider.published ? null : <span className="tag">Not published</span>}
                </div>
                <p className="admin-item-line">{[provider.title, provider.specialty].filter((part) => part !== null && part !== '').join(' · ')}</p>
                <p className="admin-item-line muted">Works in {provider.timeZone}</p>
              </li>
            ))}
          </ul>
          {list.isFetchNextPageError ? <ErrorMessage error={list.error} /> : null}
          {list.hasNextPage ? (
            <div className="actions">
              <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                Show more providers
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
