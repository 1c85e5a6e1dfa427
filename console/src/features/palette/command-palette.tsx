import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog, StatusPill } from '@web/components';
import { useDebounced } from '@web/hooks/use-debounced';
import { NAVIGATION, OPERATIONS_PAGES } from '../../app/navigation';
import { useSession } from '../auth/session';
import { hitPath, searchLicenses } from '../search/api';
import styles from './command-palette.module.css';

interface Command {
  id: string;
  label: string;
  detail?: string;
  status?: string;
  group: 'Go to' | 'Licenses' | 'Account';
  run: () => void;
}

/**
 * Ctrl/⌘+K: one box to jump anywhere. It lists the console's pages (each Operations page on its
 * own) and, as you type, the licenses the search finds (by e-mail, name, key, hint, id, Stripe
 * id). Arrow keys move, Enter opens, Esc closes (an ARIA combobox over a listbox).
 */
export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const { signOut, can } = useSession();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const settled = useDebounced(query.trim(), 200);
  const listId = useId();

  useEffect(() => {
    if (open) {
      setQuery('');
      setActive(0);
    }
  }, [open]);

  const licenses = useQuery({
    queryKey: ['palette-search', settled],
    queryFn: () => searchLicenses({ q: settled }, undefined, 6),
    enabled: open && settled.length >= 2,
  });

  const commands = useMemo<Command[]>(() => {
    const go = (to: string) => () => {
      onClose();
      navigate(to);
    };
    const needle = query.trim().toLowerCase();
    // The sections, then the Operations pages (each named with its section, so "operations" lists them all).
    const sections = NAVIGATION.filter((item) => !item.scope || can(item.scope)).map((item) => ({ ...item, names: [item.label] }));
    const operations = OPERATIONS_PAGES.map((item) => ({ ...item, label: `Operations › ${item.label}`, names: [item.label, 'Operations'] }));
    const pages: Command[] = [...sections, ...operations]
      .filter((item) => !needle || item.names.some((name) => name.toLowerCase().includes(needle)))
      .map((item) => ({ id: `page-${item.to}`, label: item.label, detail: item.description, group: 'Go to', run: go(item.to) }));
    const found: Command[] = (settled.length >= 2 ? (licenses.data?.data ?? []) : []).map((hit) => ({
      id: `license-${hit.id}`,
      label: hit.customer ? (hit.customer.name ? `${hit.customer.name} · ${hit.customer.email}` : hit.customer.email) : hit.key_hint,
      detail: `${hit.key_hint} · ${hit.product.name} ${hit.plan.name}`,
      status: hit.status,
      group: 'Licenses',
      run: go(hitPath(hit)),
    }));
    const searchAll: Command[] =
      needle.length >= 2
        ? [
            {
              id: 'search-all',
              label: `Search all licenses for “${query.trim()}”`,
              group: 'Licenses',
              // Handed over in the history state: the query may be a whole key, never put in a URL.
              run: () => {
                onClose();
                navigate('/search', { state: { q: query.trim() } });
              },
            },
          ]
        : [];
    const account: Command[] = 'sign out'.includes(needle) || needle.startsWith('sign')
      ? [{ id: 'sign-out', label: 'Sign out', group: 'Account', run: () => { onClose(); void signOut(); } }]
      : [];
    return [...found, ...searchAll, ...pages, ...account];
  }, [query, settled, licenses.data, navigate, onClose, signOut, can]);

  useEffect(() => setActive((current) => Math.min(current, Math.max(commands.length - 1, 0))), [commands.length]);
  // The list scrolls: the option the arrow keys reach is kept in sight (the pointer's is in sight already).
  const activeId = commands[active] ? `${listId}-${commands[active].id}` : undefined;
  const movedByKey = useRef(false);
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!movedByKey.current || !activeId) return;
    movedByKey.current = false;
    const [option, list] = [document.getElementById(activeId), listRef.current];
    if (!option || !list) return;
    // The list's own scroll only, never the page's behind the dialog.
    const [shown, within] = [option.getBoundingClientRect(), list.getBoundingClientRect()];
    if (shown.top < within.top) list.scrollTop -= within.top - shown.top;
    else if (shown.bottom > within.bottom) list.scrollTop += shown.bottom - within.bottom;
  }, [activeId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      movedByKey.current = true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (commands.length ? (current + step + commands.length) % commands.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      commands[active]?.run();
    }
  };

  const searching = settled.length >= 2 && licenses.isFetching;
  let lastGroup = '';
  return (
    <Dialog open={open} onClose={onClose} title="Command palette" hideTitle variant="top">
      <div className={styles.palette}>
        <input
          className={styles.input}
          role="combobox"
          aria-expanded={commands.length > 0}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-autocomplete="list"
          aria-label="Search licenses or jump to a page"
          placeholder="Search licenses by e-mail, key, id… or jump to a page"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <p className="visually-hidden" aria-live="polite">
          {searching ? 'Searching…' : `${commands.length} results`}
        </p>
        <ul ref={listRef} id={listId} role="listbox" aria-label="Results" className={styles.list}>
          {commands.map((command, index) => {
            const heading = command.group !== lastGroup ? command.group : null;
            lastGroup = command.group;
            return (
              <li key={command.id} role="presentation">
                {heading && (
                  <p className={styles.group} aria-hidden="true">
                    {heading}
                  </p>
                )}
                <div
                  id={`${listId}-${command.id}`}
                  role="option"
                  aria-selected={index === active}
                  className={index === active ? `${styles.option} ${styles.active}` : styles.option}
                  onMouseMove={() => setActive(index)}
                  onClick={() => command.run()}
                >
                  <span className={styles.label}>
                    {command.label}
                    {command.detail && <span className={styles.detail}>{command.detail}</span>}
                  </span>
                  {command.status && <StatusPill status={command.status} />}
                </div>
              </li>
            );
          })}
        </ul>
        {settled.length >= 2 && licenses.isError && <p className={styles.empty}>The search failed: {(licenses.error as Error).message}</p>}
        {settled.length >= 2 && !searching && licenses.data?.data.length === 0 && <p className={styles.empty}>No license matches “{settled}”.</p>}
        <p className={styles.help} aria-hidden="true">
          ↑↓ to move · Enter to open · Esc to close
        </p>
      </div>
    </Dialog>
  );
}
