import { Empty, PageTitle } from '../../components/ui';

export function Availability() {
  return (
    <>
      <PageTitle>Availability</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
