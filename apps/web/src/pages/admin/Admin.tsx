import { Tabs } from 'radix-ui';
import { useSearchParams } from 'wouter';
import { PageTitle } from '../../components/ui';
import { Providers } from './Providers';
import { Queues } from './Queues';
import { Users } from './Users';
import './admin.css';

const tabs = [
  { id: 'users', label: 'Users' },
  { id: 'providers', label: 'Providers' },
  { id: 'queues', label: 'Job queues' },
] as const;
type TabId = (typeof tabs)[number]['id'];

function isTab(value: string | null): value is TabId {
  return tabs.some((tab) => tab.id === value);
}

/**
 * The administrators' page: accounts, providers and the job queues, one tab each. The open tab is
 * in the address (?tab=queues), so a reload or a shared link lands on it; only the open tab's
 * panel is mounted, so only its queries run (and the queue counts refresh only while it is shown).
 */
export function Admin() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: TabId = isTab(requested) ? requested : 'users';

  return (
    <>
      <PageTitle>Admin</PageTitle>
      <Tabs.Root
        value={tab}
        onValueChange={(value) => {
          setParams(
            (current) => {
              const next = new URLSearchParams(current);
              next.set('tab', value);
              return next;
            },
            { replace: true },
          );
        }}
        activationMode="manual"
      >
        <Tabs.List className="admin-tabs" aria-label="Administration">
          {tabs.map((item) => (
            <Tabs.Trigger key={item.id} value={item.id} className="admin-tab">
              {item.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="users" className="admin-panel">
          <Users />
        </Tabs.Content>
        <Tabs.Content value="providers" className="admin-panel">
          <Providers />
        </Tabs.Content>
        <Tabs.Content value="queues" className="admin-panel">
          <Queues />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}
