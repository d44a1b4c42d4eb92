import { Empty, PageTitle } from '../../components/ui';

export function Profile() {
  return (
    <>
      <PageTitle>Profile</PageTitle>
      <Empty>Not built yet.</Empty>
    </>
  );
}
