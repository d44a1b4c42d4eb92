import { Empty, PageTitle } from '../../components/ui';

export function Services() {
  return (
    <>
      <PageTitle>Services</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
