import { Empty, PageTitle } from '../../components/ui';

export function Inbox() {
  return (
    <>
      <PageTitle>Inbox</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
