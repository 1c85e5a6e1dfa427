import { ButtonLink, EmptyState } from '@web/components';

export function NotFoundPage() {
  return (
    <>
      <h1 className="visually-hidden">Page not found</h1>
      <EmptyState title="There is no such page" action={<ButtonLink to="/search">Go to search</ButtonLink>}>
        The link may be old, or mistyped. Search finds any license by e-mail, name, key, id or Stripe id.
      </EmptyState>
    </>
  );
}
