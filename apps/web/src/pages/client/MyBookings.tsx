import { Empty, PageTitle } from '../../components/ui';

export function MyBookings() {
  return (
    <>
      <PageTitle>MyBookings</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
