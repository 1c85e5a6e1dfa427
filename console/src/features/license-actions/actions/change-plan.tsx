import { useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';
import { ErrorState, Loading, Select } from '@web/components';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { ChangeList } from '../change-list';
import { utcDay } from '../dates';
import type { ActionFormProps, LicenseAction } from '../registry';
import styles from '../license-actions.module.css';

type Plan = Schemas['Plan'];
type Preview = Schemas['PlanChangePreview'];

const seats = (limit: unknown) => (limit === null || limit === undefined ? 'unlimited seats' : `${String(limit)} ${limit === 1 ? 'seat' : 'seats'}`);
const expiry = (at: string | null) => (at ? `expires ${utcDay(at)}` : 'never expires');
const WHAT: Record<string, string> = { features: 'feature entitlements', seat_limit: 'the seat limit', seat_model: 'the seat model', allowed_domains: 'the domain lock', allowed_cidrs: 'the network lock' };

/** The plans of the license's product, the other ones first by name. */
function useProductPlans(planId: string) {
  return useQuery({
    queryKey: ['plans-of-product', planId],
    queryFn: async () => {
      const current = await data(api.GET('/v1/plans/{id}', { params: { path: { id: planId } } }));
      const page = await data(api.GET('/v1/plans', { params: { query: { product_id: current.product_id, limit: 100 } } }));
      return { current, plans: page.data.sort((a, b) => a.name.localeCompare(b.name)) };
    },
  });
}

/**
 * The confirmation in the articles' own words, from the real plans and the API's dry run:
 * "Change account … from Standard (10 seats, expires 2026-09-01) to Enterprise (unlimited seats,
 * expires 2026-09-01)? This will update feature entitlements immediately."
 */
function sentence(account: string, from: Plan, to: Plan, preview: Preview, license: ActionFormProps['license']) {
  const seatChange = preview.changes.find((change) => change.field === 'seat_limit');
  const after = seatChange ? seatChange.to : license.seat_limit;
  const question = `Change account ${account} from ${from.name} (${seats(license.seat_limit)}, ${expiry(license.expires_at)}) to ${to.name} (${seats(after)}, ${expiry(license.expires_at)})?`;
  const what = preview.changes.map((change) => WHAT[change.field]).filter(Boolean);
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : (what[0] ?? 'the plan');
  const when = preview.effective_at === 'now' ? `This will update ${list} immediately.` : `This will update ${list} at the end of the period, on ${utcDay(preview.effective_at)}; until then nothing changes.`;
  return { question, when };
}

function ChangePlanForm(props: ActionFormProps) {
  const { license, hit } = props;
  const plans = useProductPlans(license.plan_id);
  const others = plans.data?.plans.filter((plan) => plan.id !== license.plan_id) ?? [];
  const [planId, setPlanId, clearPlan] = useActionDraft(`licenses/${license.id}`, 'change-plan', 'plan_id', '');
  const [effective, setEffective, clearEffective] = useActionDraft(`licenses/${license.id}`, 'change-plan', 'effective', 'now');
  const target = others.find((plan) => plan.id === planId) ?? others[0];
  const when = effective === 'period_end' && license.expires_at ? 'period_end' : 'now';
  const preview = useQuery({
    queryKey: ['plan-change-preview', license.id, license.version, target?.id, when],
    enabled: Boolean(target),
    queryFn: () =>
      data(api.POST('/v1/licenses/{id}/change-plan', { params: { path: { id: license.id } }, body: { plan_id: target!.id, effective: when, reason: 'preview', dry_run: true } })) as Promise<Preview>,
  });
  const account = hit.customer ? (hit.customer.name ? `${hit.customer.name} (${hit.customer.email})` : hit.customer.email) : license.id;

  if (plans.isPending) return <Loading label="Loading the plans…" lines={3} />;
  if (plans.isError) return <ErrorState compact error={plans.error} onRetry={() => void plans.refetch()} />;
  if (!target) return <p>{hit.product.name} has no other plan to move to. Add one in the catalog first.</p>;
  const words = preview.data && plans.data ? sentence(account, plans.data.current, target, preview.data, license) : null;

  return (
    <ActionFormFrame
      {...frameOf(props, 'change-plan')}
      confirmLabel="Change plan"
      blocked={!preview.data}
      summary={
        preview.isError ? (
          <ErrorState compact title="The change could not be previewed" error={preview.error} />
        ) : !words ? (
          <Loading label="Previewing the change…" lines={2} />
        ) : (
          <>
            <p>
              <strong>{words.question}</strong> {words.when}
            </p>
            {preview.data!.changes.length > 0 && <ChangeList changes={preview.data!.changes} />}
          </>
        )
      }
      fieldNames={['plan_id', 'effective']}
      codeFields={{ SAME_PLAN: 'plan_id', PLAN_NOT_FOUND: 'plan_id' }}
      fields={(fieldError) => (
        <div className={styles.row}>
          <Select label="New plan" value={target.id} onChange={(e) => setPlanId(e.target.value)} error={fieldError('plan_id')}>
            {others.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name} ({plan.tier}, {seats(plan.seat_limit)})
              </option>
            ))}
          </Select>
          <Select label="When" value={when} onChange={(e) => setEffective(e.target.value)} error={fieldError('effective')} hint={license.expires_at ? undefined : 'A perpetual license has no period end.'}>
            <option value="now">Now</option>
            {license.expires_at && <option value="period_end">At the end of the period ({utcDay(license.expires_at)})</option>}
          </Select>
        </div>
      )}
      clearDrafts={[clearPlan, clearEffective]}
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/change-plan', { params: { path: { id: license.id } }, body: { plan_id: target.id, effective: when, reason, dry_run: false } }));
        return when === 'now' ? `Plan changed to ${target.name}. The next validation returns its seats and features.` : `Change to ${target.name} scheduled for ${utcDay(license.expires_at!)}.`;
      }}
    />
  );
}

export const changePlan: LicenseAction = {
  id: 'change-plan',
  label: 'Change plan',
  order: 20,
  scope: 'licenses:change-plan',
  appliesTo: (license) => license.status !== 'REVOKED',
  Form: ChangePlanForm,
};
