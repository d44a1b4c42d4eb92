import { Empty, PageTitle } from '../../components/ui';

export function Waitlist() {
  return (
    <>
      <PageTitle>Waitlist</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
