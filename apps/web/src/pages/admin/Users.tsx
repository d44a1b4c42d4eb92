import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';
import { useAuth, useViewer } from '../../auth/auth';
import { Button, ConfirmDialog, Empty, ErrorMessage, Loading, Notice, QueryError, SelectField, TextField } from '../../components/ui';
import { formatDateTime, formatDay } from '../../lib/format';

type UserPage = paths['/api/v1/users']['get']['responses'][200]['content']['application/json'];
type AdminUser = UserPage['items'][number];
type Role = AdminUser['role'];
type Status = 'active' | 'disabled';

interface Filters {
  readonly q: string;
  readonly role: Role | '';
  readonly status: Status | '';
}

const pageSize = 20;
const roleLabels: Readonly<Record<Role, string>> = { client: 'Client', provider: 'Provider', admin: 'Administrator' };

async function listUsers(filters: Filters, cursor: string | null): Promise<UserPage> {
  const query: NonNullable<paths['/api/v1/users']['get']['parameters']['query']> = { limit: pageSize };
  if (filters.q !== '') query.q = filters.q;
  if (filters.role !== '') query.role = filters.role;
  if (filters.status !== '') query.status = filters.status;
  if (cursor !== null) query.cursor = cursor;
  return data(await api.GET('/api/v1/users', { params: { query } }));
}

/** Find accounts by email or name, role and status; disable one (with a reason) or enable it again. */
export function Users() {
  const [draft, setDraft] = useState<Filters>({ q: '', role: '', status: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const list = useInfiniteQuery({
    queryKey: ['users', 'list', filters],
    queryFn: ({ pageParam }) => listUsers(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const users = list.data?.pages.flatMap((page) => page.items) ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...draft, q: draft.q.trim() });
  }

  return (
    <>
      <h2>Users</h2>
      <form className="admin-search" role="search" aria-label="Users" onSubmit={submit} noValidate>
        <TextField label="Email or name" type="search" maxLength={100} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        <SelectField label="Role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Filters['role'] })}>
          <option value="">Any role</option>
          {(Object.keys(roleLabels) as Role[]).map((role) => (
            <option key={role} value={role}>
              {roleLabels[role]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as Filters['status'] })}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </SelectField>
        <div className="field admin-search-submit">
          <Button type="submit">Search users</Button>
        </div>
      </form>
      {list.isPending ? <Loading label="Loading users…" /> : null}
      {list.isError && users.length === 0 ? (
        <QueryError error={list.error} retry={() => list.refetch()} />
      ) : null}
      {list.isSuccess && users.length === 0 ? <Empty>No accounts match.</Empty> : null}
      {users.length > 0 ? (
        <>
          <ul className="admin-list" aria-label="Accounts, newest first">
            {users.map((user) => (
              <UserRow key={user.id} user={user} />
            ))}
          </ul>
          {list.isFetchNextPageError ? <ErrorMessage error={list.error} /> : null}
          {list.hasNextPage ? (
            <div className="actions">
              <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                Show more users
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function UserRow({ user }: { readonly user: AdminUser }) {
  const viewer = useViewer();
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(user);
  const change = useMutation({
    mutationFn: async (action: { readonly kind: 'disable'; readonly reason: string } | { readonly kind: 'enable' }) =>
      action.kind === 'disable'
        ? data(await api.POST('/api/v1/users/{id}/disable', { params: { path: { id: user.id } }, body: action.reason === '' ? {} : { reason: action.reason } }))
        : data(await api.POST('/api/v1/users/{id}/enable', { params: { path: { id: user.id } } })),
    onSuccess: async (saved) => {
      setShown(saved);
      setReason('');
      // Stale, but not refetched now: under a status filter the row would vanish with its notice.
      await queryClient.invalidateQueries({ queryKey: ['users'], refetchType: 'none' });
    },
  });
  // The list's copy, unless this row just changed it (the refetch may not have landed yet).
  const current = change.isSuccess ? shown : user;
  const disabled = current.disabledAt !== null;
  const self = me?.id === current.id;

  return (
    <li className="admin-item">
      <div className="admin-item-head">
        <h3 id={nameId} className="admin-item-title">
          {current.name}
          {self ? ' (you)' : null}
        </h3>
        <span className="tag">{roleLabels[current.role]}</span>
        <span className={`tag ${disabled ? 'tag-disabled' : 'tag-active'}`}>{disabled ? 'Disabled' : 'Active'}</span>
      </div>
      <p className="admin-item-line">{current.email}</p>
      <p className="admin-item-line muted">
        Joined <time dateTime={current.createdAt}>{formatDay(current.createdAt, viewer)}</time>
        {current.disabledAt === null ? null : (
          <>
            {' · '}disabled <time dateTime={current.disabledAt}>{formatDateTime(current.disabledAt, viewer)}</time>
            {current.disabledReason === null ? null : <>: “{current.disabledReason}”</>}
          </>
        )}
      </p>
      <ErrorMessage error={change.error ?? undefined} />
      {change.isSuccess ? <Notice tone="success">{disabled ? `${current.name} is disabled and signed out everywhere.` : `${current.name} can sign in again.`}</Notice> : null}
      {self ? null : (
        <div className="actions">
          {disabled ? (
            <Button variant="secondary" busy={change.isPending} aria-describedby={nameId} onClick={() => change.mutate({ kind: 'enable' })}>
              Enable
            </Button>
          ) : (
            <ConfirmDialog
              trigger={
                <Button variant="danger" busy={change.isPending} aria-describedby={nameId}>
                  Disable…
                </Button>
              }
              title={`Disable ${current.name}?`}
              description={`${current.email} will be signed out everywhere and cannot sign in until an administrator enables the account again.`}
              confirmLabel="Disable account"
              onConfirm={() => change.mutate({ kind: 'disable', reason: reason.trim() })}
            >
              <TextField
                label="Reason"
                hint="Kept with the account and in the audit log."
                maxLength={500}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </ConfirmDialog>
          )}
        </div>
      )}
    </li>
  );
}
