import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data, type Schemas } from '@web/api/client';
import { Button, Checkbox, CopyButton, DateField, Dialog, ErrorState, Loading, Select } from '@web/components';
import { useSession } from '../auth/session';
import { ActionFormFrame, useActionDraft } from './action-form';
import { endOfDayUtc, isDay } from './dates';
import styles from './license-actions.module.css';

type Plan = Schemas['Plan'];

const useCatalog = () =>
  useQuery({
    queryKey: ['catalog-for-licenses'],
    queryFn: async () => {
      const [products, plans] = await Promise.all([data(api.GET('/v1/products', { params: { query: { limit: 100 } } })), data(api.GET('/v1/plans', { params: { query: { limit: 100 } } }))]);
      return { products: products.data, plans: plans.data };
    },
  });

const term = (plan: Plan) => (plan.term_kind === 'DURATION' ? `${String(plan.term_days)} days` : plan.term_kind === 'FIXED_END' ? `until ${String(plan.term_ends_at).slice(0, 10)}` : 'perpetual');

/** The form: product and plan, trial or paid, a custom expiry, whether to e-mail the key. */
function CreateLicenseForm({ customer, created, cancel }: { customer: { id: string; email: string }; created: (id: string, key: string) => void; cancel: () => void }) {
  const catalog = useCatalog();
  const useField = (field: string, initial = '') => useActionDraft(`accounts/${customer.id}`, 'create-license', field, initial);
  const [planId, setPlanId, clearPlan] = useField('plan_id');
  const [trial, setTrial, clearTrial] = useField('trial');
  const [expires, setExpires, clearExpires] = useField('expires_at');
  const [quiet, setQuiet, clearQuiet] = useField('quiet');
  if (catalog.isPending) return <Loading label="Loading the catalog…" lines={3} />;
  if (catalog.isError) return <ErrorState compact error={catalog.error} onRetry={() => void catalog.refetch()} />;
  const products = new Map(catalog.data.products.map((product) => [product.id, product.name]));
  const plans = [...catalog.data.plans].sort((a, b) => `${products.get(a.product_id)} ${a.name}`.localeCompare(`${products.get(b.product_id)} ${b.name}`));
  if (!plans.length) return <p>The catalog has no plan yet. Create a product and a plan first.</p>;
  const plan = plans.find((p) => p.id === planId) ?? plans[0]!;
  return (
    <ActionFormFrame
      subject={`accounts/${customer.id}`}
      actionId="create-license"
      done={() => undefined}
      cancel={cancel}
      confirmLabel="Create license"
      reasonLabel="Note"
      reasonHint="Required: why by hand (a purchase order, a partner deal). Goes to the audit trail."
      summary={
        <>
          <p>
            A new {trial ? 'trial' : 'license'} on <strong>{products.get(plan.product_id)} · {plan.name}</strong> ({plan.seat_limit === null ? 'unlimited seats' : `${String(plan.seat_limit)} seats`}, {isDay(expires) ? `expires ${expires}` : trial ? `a ${String(plan.trial_days ?? '…')}-day trial` : term(plan)}) for {customer.email}, with a new key and its own workflow.
          </p>
          <p className="muted">{quiet ? 'The key is shown here once; nobody is e-mailed.' : 'The key is shown here once and e-mailed to the customer.'}</p>
        </>
      }
      fieldNames={['plan_id', 'trial', 'expires_at', 'trial_ends_at']}
      codeFields={{ PLAN_NOT_FOUND: 'plan_id' }}
      check={() => (expires && !isDay(expires) ? { field: 'expires_at', message: 'Pick a date, or leave it blank for the plan’s term.' } : null)}
      fields={(fieldError) => (
        <>
          <Select label="Plan" value={plan.id} onChange={(e) => setPlanId(e.target.value)} error={fieldError('plan_id')}>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {products.get(p.product_id)} · {p.name} ({p.tier})
              </option>
            ))}
          </Select>
          <div className={styles.row}>
            <DateField label="Expires" hint="Blank: the plan's term." value={expires} onChange={(e) => setExpires(e.target.value)} error={fieldError('expires_at')} />
            <Checkbox label="Start as a trial" hint={plan.trial_days ? `${String(plan.trial_days)} days` : 'This plan has no trial length.'} checked={Boolean(trial)} disabled={!plan.trial_days} onChange={(e) => setTrial(e.target.checked ? 'yes' : '')} error={fieldError('trial')} />
          </div>
          <Checkbox label="Do not e-mail the key" checked={Boolean(quiet)} onChange={(e) => setQuiet(e.target.checked ? 'yes' : '')} />
        </>
      )}
      clearDrafts={[clearPlan, clearTrial, clearExpires, clearQuiet]}
      run={async (reason) => {
        const answer = await data(
          api.POST('/v1/licenses', {
            body: { plan_id: plan.id, customer_id: customer.id, trial: Boolean(trial) && Boolean(plan.trial_days), ...(isDay(expires) ? { expires_at: endOfDayUtc(expires) } : {}), notify: !quiet, reason, overrides: {}, metadata: {} },
          }),
        );
        created(answer.id, answer.key);
        return 'License created.';
      }}
    />
  );
}

/**
 * "New license" on an account (a purchase order, a partner deal): the key is shown once, in a
 * dialog that stays until it has been copied or dismissed.
 */
export function CreateLicenseButton({ customer, onCreated }: { customer: { id: string; email: string }; onCreated: (id: string) => void }) {
  const { can } = useSession();
  const [open, setOpen] = useState(false);
  const [issued, setIssued] = useState<{ id: string; key: string } | null>(null);
  if (!can('licenses:write')) return null;
  return (
    <>
      <Button size="sm" variant="primary" onClick={() => setOpen(true)}>
        New license
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="New license" description={customer.email} variant="wide">
        {open && (
          <CreateLicenseForm
            customer={customer}
            cancel={() => setOpen(false)}
            created={(id, key) => {
              setOpen(false);
              setIssued({ id, key });
              onCreated(id);
            }}
          />
        )}
      </Dialog>
      <Dialog open={Boolean(issued)} onClose={() => setIssued(null)} title="License created" description="Copy the key now: it is never shown again." footer={<Button onClick={() => setIssued(null)}>Done</Button>}>
        {issued && (
          <div className={styles.keyBox}>
            <code aria-label="License key">{issued.key}</code>
            <CopyButton value={issued.key} label="Copy the key" />
          </div>
        )}
      </Dialog>
    </>
  );
}
