import { useParams } from 'react-router';
import { DescriptionList, ErrorState, Loading, PageHeader, Section } from '@web/components';
import { useSession } from '../auth/session';
import { AbusePolicySection } from './abuse-policy-section';
import { usePlan, useProducts, type Plan } from './api';
import { FIELD_GROUPS, formatValue } from './policy-fields';
import { PolicyEditor } from './policy-editor';
import styles from './catalog.module.css';

/** A plan and its policy: the editor for roles that may edit the catalog, a read-only view for the rest. */
export function PlanPage() {
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  const products = useProducts();
  const { can } = useSession();

  if (plan.isPending) return <Loading lines={6} label="Loading the plan…" />;
  if (plan.isError) return <ErrorState error={plan.error} title="This plan could not be loaded" onRetry={() => void plan.refetch()} />;
  const product = products.data?.data.find((p) => p.id === plan.data.product_id);

  return (
    <div className={styles.page}>
      <PageHeader
        eyebrow={product ? `${product.name} · Catalog` : 'Catalog'}
        title={plan.data.name}
        description={
          <>
            Plan <code>{plan.data.code}</code> · tier {plan.data.tier}. Licenses on the plan follow its policy unless they override a field.
          </>
        }
      />
      {can('catalog:write') ? <PolicyEditor key={plan.data.updated_at} plan={plan.data} /> : <PolicyView plan={plan.data} />}
      {/* In the policy's column: the same width as the fields above it. */}
      <div className={styles.editorGrid}>
        <AbusePolicySection planId={plan.data.id} editable={can('catalog:write')} />
      </div>
    </div>
  );
}

function PolicyView({ plan }: { plan: Plan }) {
  return (
    <>
      {FIELD_GROUPS.map((group) => (
        <Section key={group.id} id={`view-${group.id}`} title={group.title}>
          <DescriptionList items={group.fields.map((field) => ({ key: field.key, term: field.label, value: plan[field.key] === null && field.none ? field.none : field.kind === 'select' ? (field.options?.find((o) => o.value === plan[field.key])?.label ?? formatValue(plan[field.key])) : formatValue(plan[field.key]), wide: field.kind === 'json' }))} />
        </Section>
      ))}
    </>
  );
}
