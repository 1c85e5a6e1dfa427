import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isApiError } from '@web/api/api-error';
import { Button, Section, Select, TextArea, TextField, useToast } from '@web/components';
import { useDebounced } from '@web/hooks/use-debounced';
import { cx } from '@web/lib/cx';
import { previewPlanEdit, useSavePlan, type Plan } from './api';
import { ImpactPanel } from './impact-panel';
import { draftOf, editOf, fieldOfError, FIELD_GROUPS, type Draft, type PolicyField } from './policy-fields';
import styles from './catalog.module.css';

/** The API's field errors, by the editor's field. */
function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(error.errors.map((e) => [fieldOfError(e.field), e.message]));
}

/**
 * Every policy field of a plan, grouped. Each change is checked by the API as the edit would be
 * (a dry run, once typing pauses): its field errors show under their fields, and the impact
 * panel says what saving would do to the licenses on the plan. Saving sends only the changed
 * fields, with the reason for the audit trail.
 */
export function PolicyEditor({ plan }: { plan: Plan }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(plan));
  const [reason, setReason] = useState('');
  const [saveError, setSaveError] = useState<unknown>(null);
  const save = useSavePlan(plan.id);
  const formId = useId();
  const toast = useToast();

  const { edit, errors: textErrors } = editOf(plan, draft);
  const changed = Object.keys(edit).length > 0 || Object.keys(textErrors).length > 0;
  const settled = useDebounced(JSON.stringify(edit), 400);
  const inputValid = Object.keys(textErrors).length === 0;
  const preview = useQuery({
    queryKey: ['catalog', 'plan', plan.id, 'preview', plan.updated_at, settled],
    queryFn: () => previewPlanEdit(plan.id, JSON.parse(settled)),
    enabled: inputValid && settled !== '{}',
    retry: false,
    staleTime: Infinity,
  });
  const current = settled === JSON.stringify(edit);
  const apiErrors = { ...fieldErrors(preview.error), ...fieldErrors(saveError) };
  const errorOf = (key: string) => textErrors[key] ?? (current || saveError ? apiErrors[key] : undefined);

  const impactState = !changed
    ? ({ kind: 'idle' } as const)
    : !inputValid || Object.keys(apiErrors).length
      ? ({ kind: 'invalid' } as const)
      : preview.isError
        ? ({ kind: 'error', error: preview.error } as const)
        : preview.data && current
          ? ({ kind: 'ready', preview: preview.data } as const)
          : ({ kind: 'loading' } as const);

  const set = (key: string) => (event: { target: { value: string } }) => {
    setSaveError(null);
    setDraft({ ...draft, [key]: event.target.value });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Enter in a field submits too: saving waits for the impact of what is in the fields.
    if (!inputValid || Object.keys(edit).length === 0 || impactState.kind !== 'ready') return;
    try {
      const saved = await save.mutateAsync({ ...edit, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      const reached = preview.data?.impact.workflows_to_update ?? 0;
      toast(reached ? `Plan saved: ${reached} running licenses take the new policy` : `Plan ${saved.name} saved`);
    } catch (failure) {
      if (isApiError(failure) && failure.status === 401) return;
      setSaveError(failure);
    }
  };

  const discard = () => {
    setDraft(draftOf(plan));
    setReason('');
    setSaveError(null);
  };

  const control = (field: PolicyField) => {
    const common = { label: field.label, value: draft[field.key] ?? '', onChange: set(field.key), error: errorOf(field.key), name: field.key };
    const hint = field.emptyMeans ?? field.hint;
    switch (field.kind) {
      case 'select':
        return (
          <Select {...common} hint={hint}>
            {field.options!.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        );
      case 'json':
        return <TextArea {...common} hint={hint} rows={4} spellCheck={false} />;
      case 'date':
        return <TextField {...common} hint={hint} type="date" />;
      case 'int':
      case 'optional-int':
        return <TextField {...common} hint={hint} inputMode="numeric" autoComplete="off" />;
      default:
        return <TextField {...common} hint={hint} autoComplete="off" />;
    }
  };

  const unsaved = Object.keys(edit).length;
  const otherSaveError = saveError && Object.keys(fieldErrors(saveError)).length === 0 ? saveError : null;

  return (
    <div className={styles.editorGrid}>
      <form id={formId} className={styles.form} onSubmit={submit} noValidate aria-label={`Policy of ${plan.name}`}>
        {FIELD_GROUPS.map((group) => (
          <Section key={group.id} id={`policy-${group.id}`} title={group.title}>
            <p className={styles.groupDescription}>{group.description}</p>
            <div className={styles.fields}>{group.fields.map((field) => <div key={field.key} className={cx(['json', 'text-list'].includes(field.kind) && styles.wideField)}>{control(field)}</div>)}</div>
          </Section>
        ))}
      </form>
      {/* The impact and the save button beside the fields (below them on a phone): what saving does is in view where it is done. */}
      <aside className={styles.aside} aria-label="Impact and saving">
        <ImpactPanel state={impactState} />
        <Section title="Save" id="policy-save">
          <div className={styles.saveBar}>
            <TextField className={styles.reason} label="Reason (optional)" hint="Kept in the audit trail with the change." value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
            <div className={styles.buttons}>
              <Button onClick={discard} disabled={!changed}>
                Discard
              </Button>
              <Button type="submit" form={formId} variant="primary" busy={save.isPending} disabled={!changed || impactState.kind !== 'ready'}>
                {unsaved ? `Save ${unsaved} change${unsaved === 1 ? '' : 's'}` : 'Save changes'}
              </Button>
            </div>
          </div>
          {otherSaveError ? (
            <p role="alert" className={styles.formError}>
              {isApiError(otherSaveError) ? `${otherSaveError.detail} (${otherSaveError.code})` : String(otherSaveError)}
            </p>
          ) : null}
        </Section>
      </aside>
    </div>
  );
}
