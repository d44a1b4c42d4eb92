import { Empty, PageTitle } from '../../components/ui';

export function ProviderPage() {
  return (
    <>
      <PageTitle>ProviderPage</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
