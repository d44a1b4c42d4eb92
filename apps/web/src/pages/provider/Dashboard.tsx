import { Empty, PageTitle } from '../../components/ui';

export function Dashboard() {
  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
