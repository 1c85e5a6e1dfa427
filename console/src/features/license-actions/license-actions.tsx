import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Dialog, Section } from '@web/components';
import type { LicenseDetail } from '../accounts/api';
import { useSession } from '../auth/session';
import type { LicenseSearchHit } from '../search/api';
import { findAction, LICENSE_ACTIONS } from './registered';
import styles from './license-actions.module.css';

/**
 * The actions on one license: a button for each registered action the member's role allows and
 * the license's state admits (the API refuses the rest anyway). The open form is in the URL
 * (`?action=`), so a session that expires mid-way comes back to it, with what was typed.
 */
export function LicenseActions({ license, hit }: { license: LicenseDetail; hit: LicenseSearchHit }) {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [result, setResult] = useState<{ text: string; detail?: ReactNode } | null>(null);
  const available = LICENSE_ACTIONS.filter((action) => can(action.scope) && action.appliesTo(license));
  const requested = findAction(params.get('action'));
  const open = requested && available.includes(requested) ? requested : null;

  const setOpen = useCallback(
    (id: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (id) next.set('action', id);
          else next.delete('action');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const queryClient = useQueryClient();
  // Closed after a refusal, the license may have moved on (suspended by someone else): reload it.
  const close = useCallback(() => {
    setOpen(null);
    void queryClient.invalidateQueries();
  }, [setOpen, queryClient]);
  const done = (text: string, detail?: ReactNode) => {
    // Said once, where the user acted (a live region): no toast on top of it.
    setResult({ text, detail });
    close();
  };

  return (
    <Section id="license-actions" title="Actions">
      {available.length ? (
        <div className={styles.bar} role="group" aria-label="License actions">
          {available.map((action) => (
            <Button
              key={action.id}
              size="sm"
              variant={action.tone === 'danger' ? 'danger' : 'secondary'}
              onClick={() => {
                setResult(null);
                setOpen(action.id);
              }}
            >
              {action.label}
            </Button>
          ))}
        </div>
      ) : (
        <p className="muted">{license.status === 'REVOKED' ? 'A revoked license cannot change.' : 'Your role cannot change this license.'}</p>
      )}
      {result && (
        <div role="status" className={styles.result}>
          {result.text}
          {result.detail}
        </div>
      )}
      <Dialog open={Boolean(open)} onClose={close} title={open ? `${open.label}: ${hit.product.name} · ${hit.plan.name}` : ''} description={<code>{license.key_hint}</code>} variant="wide">
        {open && <open.Form license={license} hit={hit} done={done} cancel={close} />}
      </Dialog>
    </Section>
  );
}
