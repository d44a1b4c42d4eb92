import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, data } from '../../api/client';
import { Button, Empty, ErrorMessage, Loading, PageTitle, QueryError, TextField } from '../../components/ui';
import type { Provider } from './queries';
import './client.css';

/*
 * The home page: search published providers by name, title or specialty. The search lives in the
 * URL (?q=…&specialty=…), so a result list can be shared, reloaded and walked with back/forward;
 * the API's cursor pages the results ("Show more").
 */

const pageSize = 20;

export function FindProviders() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const specialty = params.get('specialty')?.trim() ?? '';

  const results = useInfiniteQuery({
    queryKey: ['providers', 'search', { q, specialty }],
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/api/v1/providers', {
          params: { query: { limit: pageSize, ...(q === '' ? {} : { q }), ...(specialty === '' ? {} : { specialty }), ...(pageParam === null ? {} : { cursor: pageParam }) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const nextPageError = results.isFetchNextPageError ? results.error : null;
  const providers = results.data?.pages.flatMap((page) => page.items) ?? [];
  const specialties = [...new Set(providers.map((provider) => provider.specialty).filter((value): value is string => value !== null))].sort();
  const searching = q !== '' || specialty !== '';

  return (
    <>
      <PageTitle>Find a provider</PageTitle>
      {/* Keyed by the URL's search: back and forward put its words back in the boxes. */}
      <SearchForm
        key={`${q}|${specialty}`}
        q={q}
        specialty={specialty}
        specialties={specialties}
        onSearch={(next) => {
          const query = new URLSearchParams();
          if (next.q !== '') query.set('q', next.q);
          if (next.specialty !== '') query.set('specialty', next.specialty);
          setParams(query);
        }}
      />
      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="visually-hidden">
          Results
        </h2>
        {results.isPending ? (
          <Loading label="Searching…" />
        ) : results.isError ? (
          <QueryError error={results.error} retry={() => results.refetch()} />
        ) : providers.length === 0 ? (
          <Empty>{searching ? 'No provider matches this search. Try fewer or other words.' : 'No providers have published a profile yet.'}</Empty>
        ) : (
          <>
            <p className="result-count muted" role="status">
              {searching ? `Providers matching your search` : 'All providers'}
              {results.hasNextPage ? ` (first ${providers.length})` : ` (${providers.length})`}
            </p>
            <ul className="cards">
              {providers.map((provider) => (
                <ProviderCard key={provider.id} provider={provider} />
              ))}
            </ul>
            {nextPageError === null ? null : <ErrorMessage error={nextPageError} />}
            {results.hasNextPage ? (
              <div className="actions">
                <Button variant="secondary" busy={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
                  Show more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}

interface SearchFormProps {
  readonly q: string;
  readonly specialty: string;
  readonly specialties: readonly string[];
  readonly onSearch: (search: { q: string; specialty: string }) => void;
}

function SearchForm({ q, specialty, specialties, onSearch }: SearchFormProps) {
  const [text, setText] = useState(q);
  const [field, setField] = useState(specialty);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch({ q: text.trim(), specialty: field.trim() });
  }
  return (
    <form role="search" className="search" onSubmit={submit}>
      <TextField label="Search" type="search" name="q" hint="A name, title or specialty" value={text} onChange={(event) => setText(event.target.value)} />
      <TextField label="Specialty" name="specialty" list="specialties" hint="Exact, e.g. Dermatology" value={field} onChange={(event) => setField(event.target.value)} />
      <datalist id="specialties">
        {specialties.map((value) => (
          <option key={value} value={value} />
        ))}
      </datalist>
      <Button type="submit">Search</Button>
      {q !== '' || specialty !== '' ? (
        <Button variant="secondary" onClick={() => onSearch({ q: '', specialty: '' })}>
          Clear
        </Button>
      ) : null}
    </form>
  );
}

function initials(name: string): string {
  const words = name.replace(/^(dr|prof|mr|mrs|ms)\.?\s+/i, '').split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

function ProviderCard({ provider }: { readonly provider: Provider }) {
  return (
    <li className="card provider-card">
      {provider.photoUrl === null ? (
        <span className="provider-initials" aria-hidden="true">
          {initials(provider.displayName)}
        </span>
      ) : (
        <img src={provider.photoUrl} alt={`Photo of ${provider.displayName}`} width={64} height={64} loading="lazy" />
      )}
      <div>
        <h3>
          <Link href={`/providers/${provider.id}`}>{provider.displayName}</Link>
        </h3>
        <p>{provider.title}</p>
        {provider.specialty === null ? null : <p className="tag">{provider.specialty}</p>}
      </div>
    </li>
  );
}
