import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '@web/api/api-error';
import { Button, ConfirmDialog, DescriptionList, ErrorState, Loading, PageHeader, Section, Time, useToast } from '@web/components';
import { useSession } from '../auth/session';
import { KINDS, useAbuseAlert, useDismissAlert } from './api';
import { AlertStatus } from './alert-status';
import { EvidenceView } from './evidence-view';
import styles from './abuse-alerts.module.css';

const ACTIONS: Record<string, string> = { REQUIRE_REACTIVATION: 'Every activation ended: machines must activate again', SUSPEND: 'License suspended' };

/** One alert: what was found, over which window, what was done, and Dismiss (with a reason, audited). */
export function AbuseAlertPage() {
  const { alertId = '' } = useParams();
  const alert = useAbuseAlert(alertId);
  const dismiss = useDismissAlert(alertId);
  const { can } = useSession();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);

  if (alert.isPending) return <Loading label="Loading the alert…" lines={6} />;
  if (alert.isError) return <ErrorState error={alert.error} title="This alert could not be loaded" onRetry={() => void alert.refetch()} />;
  const shown = alert.data;
  const kind = KINDS[shown.kind];

  return (
    <div className={styles.page}>
      <PageHeader
        eyebrow={
          <Link to="/abuse-alerts" className={styles.back}>
            ← Abuse alerts
          </Link>
        }
        title={kind.label}
        description={kind.meaning}
        actions={
          shown.status !== 'DISMISSED' && can('licenses:lifecycle') ? (
            <Button onClick={() => setConfirming(true)}>Dismiss…</Button>
          ) : undefined
        }
      />
      <Section title="Alert" id="alert">
        <DescriptionList
          items={[
            { term: 'Status', value: <AlertStatus status={shown.status} /> },
            { term: 'License', value: <Link to={`/licenses/${shown.license_id}`} className={styles.mono}>{shown.license_id}</Link> },
            { term: 'Window', value: <><Time value={shown.window_start} /> – <Time value={shown.window_end} /></> },
            { term: 'Found by', value: `${shown.occurrences} ${shown.occurrences === 1 ? 'check' : 'checks'}` },
            { term: 'Raised', value: <Time value={shown.created_at} /> },
            { term: 'Action', value: shown.action ? <>{ACTIONS[shown.action] ?? shown.action} (<Time value={shown.acted_at} />)</> : 'None (flagged only)' },
            ...(shown.status === 'DISMISSED'
              ? [{ term: 'Dismissed', value: <>{shown.dismissed_by}, <Time value={shown.dismissed_at} />: “{shown.dismiss_reason}”</>, wide: true }]
              : []),
          ]}
        />
      </Section>
      <Section title="Evidence" id="evidence">
        <EvidenceView kind={shown.kind} evidence={shown.evidence} />
      </Section>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Dismiss this alert?"
        confirmLabel="Dismiss alert"
        reason={{ label: 'Why is it harmless?', hint: 'Kept with the alert and in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          try {
            await dismiss.mutateAsync(reason);
            toast('Alert dismissed');
          } catch (failure) {
            throw new Error(isApiError(failure) ? (failure.fieldMessage('reason') ?? `${failure.detail} (${failure.code})`) : String(failure));
          }
        }}
      >
        The same finding will not raise a new alert while this one's window runs.{shown.action ? ' What was already done to the license is not undone: reinstate it from its page if needed.' : ''}
      </ConfirmDialog>
    </div>
  );
}
