import { Empty, PageTitle } from '../../components/ui';

export function Admin() {
  return (
    <>
      <PageTitle>Admin</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
