import { Empty, PageTitle } from '../../components/ui';

export function FindProviders() {
  return (
    <>
      <PageTitle>FindProviders</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
