import { Empty, PageTitle } from '../../components/ui';

export function BookingDetail() {
  return (
    <>
      <PageTitle>BookingDetail</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
