import { ErrorState, Loading, Section, StatusPill, Time } from '@web/components';
import { useWorkflow } from './api';
import styles from './accounts.module.css';

/** The Temporal workflow that owns the license's lifecycle, and the way to its full history. */
export function WorkflowCard({ licenseId }: { licenseId: string }) {
  const workflow = useWorkflow(licenseId);
  return (
    <Section title="Lifecycle workflow" id="license-workflow">
      {workflow.isPending ? (
        <Loading label="Describing the workflow…" lines={2} />
      ) : workflow.isError ? (
        <ErrorState compact title="Temporal did not answer" error={workflow.error} onRetry={() => void workflow.refetch()} />
      ) : (
        <div className={styles.workflow}>
          <p>
            <code className={styles.wrap}>{workflow.data.workflow_id}</code>
          </p>
          {workflow.data.execution ? (
            <p>
              <StatusPill status={workflow.data.execution.status} /> since <Time value={workflow.data.execution.started_at} /> · {workflow.data.execution.history_length} history events
            </p>
          ) : (
            <p className="muted">No workflow runs for this license; drift repair starts one within the hour.</p>
          )}
          {workflow.data.ui_url ? (
            <a href={workflow.data.ui_url} target="_blank" rel="noreferrer">
              Open in the Temporal Web UI<span className="visually-hidden"> (opens in a new tab)</span> ↗
            </a>
          ) : (
            <p className="muted">Set TEMPORAL_UI_URL to link to the Temporal Web UI.</p>
          )}
        </div>
      )}
    </Section>
  );
}
