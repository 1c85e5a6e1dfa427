import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Kbd } from '@web/components';
import { isMac, useHotkeys } from '@web/hooks/use-hotkeys';
import { useSession } from '../features/auth/session';
import { CommandPalette } from '../features/palette/command-palette';
import { NAVIGATION } from './navigation';
import styles from './app-layout.module.css';

/**
 * The signed-in console's frame: the navigation, the command palette (Ctrl/⌘+K), `/` to
 * search, the member's menu with sign-out, and a skip link to the page's content.
 */
export function AppLayout() {
  const { session, signOut, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const main = useRef<HTMLElement>(null);

  useHotkeys({
    'mod+k': () => setPaletteOpen(true),
    '/': () => {
      const box = document.getElementById('license-search');
      if (box) box.focus();
      else navigate('/search', { state: { focusSearch: true } });
    },
  });

  // A new page: focus its heading region, so screen readers announce it and Tab starts there.
  useEffect(() => {
    if (location.state && (location.state as { focusSearch?: boolean }).focusSearch) return;
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <NavLink to="/search" className={styles.brand}>
          <img src="/admin/favicon.svg" alt="" width={24} height={24} />
          <span>Keywarden</span>
        </NavLink>
        <nav aria-label="Console" className={styles.nav}>
          <ul>
            {NAVIGATION.filter((item) => !item.scope || can(item.scope)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={({ isActive }) => (isActive ? `${styles.navLink} ${styles.active}` : styles.navLink)}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.tools}>
          <button type="button" className={styles.paletteButton} onClick={() => setPaletteOpen(true)} aria-keyshortcuts={isMac() ? 'Meta+K' : 'Control+K'}>
            <span className={styles.paletteLabel}>Search or jump to…</span>
            <span className={styles.paletteKeys} aria-hidden="true">
              <Kbd>{isMac() ? '⌘' : 'Ctrl'}</Kbd>
              <Kbd>K</Kbd>
            </span>
            <span className="visually-hidden">Open the command palette</span>
          </button>
          <UserMenu name={session?.staff.name ?? ''} email={session?.staff.email ?? ''} role={session?.staff.role ?? ''} onSignOut={signOut} />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className={styles.main}>
        <Outlet />
      </main>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
    </div>
  );
}

function UserMenu({ name, email, role, onSignOut }: { name: string; email: string; role: string; onSignOut: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const initials = (name || email).split(/\s+|@/).filter(Boolean).slice(0, 2).map((part) => part[0]!.toUpperCase()).join('');
  return (
    <div className={styles.userMenu} ref={root}>
      <button ref={button} type="button" className={styles.avatar} aria-expanded={open} aria-controls={open ? 'user-menu' : undefined} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{initials}</span>
        <span className="visually-hidden">Your account: {name || email}</span>
      </button>
      {open && (
        <div id="user-menu" className={styles.menu}>
          <p className={styles.menuName}>{name}</p>
          <p className={styles.menuDetail}>{email}</p>
          <p className={styles.menuDetail}>Role: {role.replace('_', ' ')}</p>
          <button type="button" className={styles.menuItem} onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
