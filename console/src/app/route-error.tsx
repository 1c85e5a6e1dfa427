import { useRouteError } from 'react-router';
import { ErrorState } from '@web/components';
import styles from './app-layout.module.css';

/** A page that failed to render or to load its code (after a deploy, say): said plainly, with a reload. */
export function RouteError() {
  const error = useRouteError();
  return (
    <main className={styles.main}>
      <h1 className="visually-hidden">Something went wrong</h1>
      <ErrorState error={error} title="This page failed to load. Reloading usually fixes it." onRetry={() => window.location.reload()} />
    </main>
  );
}
