import { Button } from './button';
import styles from './pagination.module.css';

/**
 * Cursor paging (the API's `next_cursor`): Previous and Next, and where the reader is. The
 * caller keeps the cursors of the pages it has seen, so Previous needs no cursor from the API.
 */
export interface PaginationProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** `Licenses 26–50` */
  summary?: string;
  label?: string;
}

export function Pagination({ page, hasPrevious, hasNext, onPrevious, onNext, summary, label = 'Pages' }: PaginationProps) {
  if (!hasPrevious && !hasNext) return summary ? <p className={styles.summary}>{summary}</p> : null;
  return (
    <nav className={styles.pagination} aria-label={label}>
      <p className={styles.summary} aria-live="polite">
        {summary ?? `Page ${page}`}
      </p>
      <div className={styles.buttons}>
        <Button size="sm" onClick={onPrevious} disabled={!hasPrevious}>
          ← Previous
        </Button>
        <Button size="sm" onClick={onNext} disabled={!hasNext}>
          Next →
        </Button>
      </div>
    </nav>
  );
}
