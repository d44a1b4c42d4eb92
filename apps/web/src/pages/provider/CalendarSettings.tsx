import { Empty, PageTitle } from '../../components/ui';

export function CalendarSettings() {
  return (
    <>
      <PageTitle>CalendarSettings</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
