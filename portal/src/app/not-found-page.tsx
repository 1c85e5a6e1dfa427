import { EmptyState } from '@web/components';

export function NotFoundPage() {
  return (
    <>
      <h1 className="visually-hidden">Page not found</h1>
      <EmptyState title="There is no such page">The link may be old or mistyped. Open the link from your latest e-mail to see your licenses.</EmptyState>
    </>
  );
}
