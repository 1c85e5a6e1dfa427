import { useState, type FormEvent } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, Checkbox, DescriptionList, ErrorState, Loading, Section, Select, TextField, useToast } from '@web/components';
import { useAbusePolicy, useSaveAbusePolicy, type AbusePolicy, type AbusePolicyRequest } from './api';
import styles from './catalog.module.css';

type NumberKey = 'velocity_validations_per_hour' | 'velocity_distinct_ips' | 'max_countries_per_day' | 'trials_per_identity' | 'fingerprints_per_week';

/** The thresholds, in the order the checks run (docs/usage-and-abuse.md). */
const THRESHOLDS: Array<{ key: NumberKey; label: string; hint: string; optional?: true }> = [
  { key: 'velocity_validations_per_hour', label: 'Validations per hour', hint: 'Velocity: more validations of one key than this in an hour…' },
  { key: 'velocity_distinct_ips', label: 'Distinct addresses', hint: '…from at least this many addresses.' },
  { key: 'max_countries_per_day', label: 'Countries per day', hint: 'Spread: more countries than this for one key within 24 hours.' },
  { key: 'trials_per_identity', label: 'Trials per identity', hint: 'Trial cycling: more trials than this sharing a machine, address, e-mail or card within 30 days.' },
  { key: 'fingerprints_per_week', label: 'Machines per week', hint: 'Key sharing: more machines than this on one key within 7 days. Empty: three times the seat limit (unlimited seats: not checked).', optional: true },
];

const ACTIONS: Array<{ value: AbusePolicy['action']; label: string }> = [
  { value: 'FLAG', label: 'Flag only (staff decide)' },
  { value: 'REQUIRE_REACTIVATION', label: 'End every activation' },
  { value: 'SUSPEND', label: 'Suspend the license' },
];

type Draft = Record<NumberKey, string> & { action: AbusePolicy['action']; referrer_check: boolean };

const draftOf = (policy: AbusePolicy): Draft => ({
  ...(Object.fromEntries(THRESHOLDS.map(({ key }) => [key, policy[key] === null ? '' : String(policy[key])])) as Record<NumberKey, string>),
  action: policy.action,
  referrer_check: policy.referrer_check,
});

/** The request a draft makes, or the fields whose text is not a whole number. */
function requestOf(draft: Draft): { request: AbusePolicyRequest; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const request: Record<string, unknown> = { action: draft.action, referrer_check: draft.referrer_check };
  for (const { key, optional } of THRESHOLDS) {
    const text = draft[key].trim();
    if (!text && optional) request[key] = null;
    else if (!/^\d+$/.test(text)) errors[key] = optional ? 'Enter a whole number, or leave it empty.' : 'Enter a whole number.';
    else request[key] = Number(text);
  }
  return { request: request as AbusePolicyRequest, errors };
}

/**
 * A plan's abuse detection: what the checks look for in its licenses' usage, and what a new
 * alert does. Staff who may edit the catalog change it here (the API checks every value, and
 * its field errors show under their fields); the others read it.
 */
export function AbusePolicySection({ planId, editable }: { planId: string; editable: boolean }) {
  const policy = useAbusePolicy(planId);
  return (
    <Section id="abuse-policy" title="Abuse detection">
      <p className={styles.groupDescription}>What the abuse checks look for in the usage of this plan’s licenses, and what a new alert does to the license.</p>
      {policy.isPending ? (
        <Loading lines={3} label="Loading the abuse settings…" />
      ) : policy.isError ? (
        <ErrorState error={policy.error} title="The abuse settings could not be loaded" onRetry={() => void policy.refetch()} />
      ) : editable ? (
        <AbusePolicyForm key={planId} planId={planId} policy={policy.data} />
      ) : (
        <DescriptionList
          items={[
            { key: 'action', term: 'On a new alert', value: ACTIONS.find((a) => a.value === policy.data.action)?.label ?? policy.data.action },
            ...THRESHOLDS.map(({ key, label }) => ({ key, term: label, value: policy.data[key] === null ? 'Three times the seat limit' : String(policy.data[key]) })),
            { key: 'referrer_check', term: 'Referrer check', value: policy.data.referrer_check ? 'On' : 'Off' },
          ]}
        />
      )}
    </Section>
  );
}

function AbusePolicyForm({ planId, policy }: { planId: string; policy: AbusePolicy }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(policy));
  const [failure, setFailure] = useState<unknown>(null);
  const [shown, setShown] = useState<Record<string, string>>({});
  const save = useSaveAbusePolicy(planId);
  const toast = useToast();
  const changed = JSON.stringify(draft) !== JSON.stringify(draftOf(policy));
  const apiErrors = isApiError(failure) ? Object.fromEntries(failure.errors.map((e) => [e.field, e.message])) : {};
  const errorOf = (key: string) => shown[key] ?? apiErrors[key];
  const update = (change: Partial<Draft>) => {
    setDraft({ ...draft, ...change });
    setFailure(null);
    setShown({});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { request, errors } = requestOf(draft);
    setShown(errors);
    if (Object.keys(errors).length) return;
    try {
      // The saved settings become the draft (so `0100` reads `100`), and focus stays on the button.
      setDraft(draftOf(await save.mutateAsync(request)));
      toast('Abuse settings saved: the next abuse check uses them');
    } catch (error) {
      if (isApiError(error) && error.status === 401) return;
      setFailure(error);
    }
  };

  const otherFailure = failure && Object.keys(apiErrors).length === 0 ? failure : null;
  return (
    <form onSubmit={submit} noValidate aria-label="Abuse detection settings" className={styles.abuseForm}>
      <div className={styles.fields}>
        <Select label="On a new alert" name="action" hint="Ending every activation makes each machine activate again, within the seat limit; a suspension lasts until staff reinstate." value={draft.action} onChange={(e) => update({ action: e.target.value as AbusePolicy['action'] })} error={errorOf('action')}>
          {ACTIONS.map((action) => (
            <option key={action.value} value={action.value}>
              {action.label}
            </option>
          ))}
        </Select>
        {THRESHOLDS.map(({ key, label, hint }) => (
          <TextField key={key} label={label} name={key} hint={hint} inputMode="numeric" autoComplete="off" value={draft[key]} onChange={(e) => update({ [key]: e.target.value } as Partial<Draft>)} error={errorOf(key)} />
        ))}
        <Checkbox
          label="Check the referrer"
          name="referrer_check"
          hint="Alert when a web page's Origin or Referer host is neither the domain claimed nor an allowed one."
          checked={draft.referrer_check}
          onChange={(e) => update({ referrer_check: e.target.checked })}
          error={errorOf('referrer_check')}
        />
      </div>
      <div className={styles.buttons}>
        <Button onClick={() => update(draftOf(policy))} disabled={!changed}>
          Discard
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!changed}>
          Save abuse settings
        </Button>
      </div>
      {otherFailure ? (
        <p role="alert" className={styles.formError}>
          {isApiError(otherFailure) ? `${otherFailure.detail} (${otherFailure.code})` : String(otherFailure)}
        </p>
      ) : null}
    </form>
  );
}
