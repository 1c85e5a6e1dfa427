import { useState } from 'react';
import { Link } from 'react-router';
import { Button, EmptyState, ErrorState, Loading, PageHeader, Section, Table, type Column } from '@web/components';
import { useSession } from '../auth/session';
import { usePlans, useProducts, type Plan, type Product } from './api';
import { NewPlanDialog } from './new-plan-dialog';
import { NewProductDialog } from './new-product-dialog';
import styles from './catalog.module.css';

const term = (plan: Plan) => (plan.term_kind === 'DURATION' ? `${plan.term_days} days` : plan.term_kind === 'FIXED_END' ? `until ${plan.term_ends_at?.slice(0, 10)}` : 'perpetual');

const columns: Column<Plan>[] = [
  { key: 'name', header: 'Plan', cell: (plan) => <Link to={`/catalog/plans/${plan.id}`}>{plan.name}</Link> },
  { key: 'code', header: 'Code', cell: (plan) => <code>{plan.code}</code>, wideOnly: true },
  { key: 'tier', header: 'Tier', cell: (plan) => plan.tier },
  { key: 'seats', header: 'Seats', cell: (plan) => `${plan.seat_limit ?? 'unlimited'} · ${plan.seat_model.toLowerCase().replace('_', ' ')}` },
  { key: 'term', header: 'Term', cell: term },
  { key: 'reminders', header: 'Reminders (days)', cell: (plan) => plan.reminder_offsets_days.join(', ') || 'none', wideOnly: true },
];

/**
 * Page 4: the products and their plans. Each plan opens its policy editor; staff whose role may
 * edit the catalog see the buttons that create products and plans (the API refuses the others).
 */
export function CatalogPage() {
  const products = useProducts();
  const plans = usePlans();
  const { can } = useSession();
  const editable = can('catalog:write');
  const [newProduct, setNewProduct] = useState(false);
  const [planFor, setPlanFor] = useState<Product | null>(null);

  const body = () => {
    if (products.isPending || plans.isPending) return <Loading lines={4} label="Loading the catalog…" />;
    if (products.isError || plans.isError) return <ErrorState error={products.error ?? plans.error} onRetry={() => void Promise.all([products.refetch(), plans.refetch()])} />;
    if (products.data.data.length === 0) {
      return (
        <EmptyState title="No products yet" action={editable ? <Button variant="primary" onClick={() => setNewProduct(true)}>New product</Button> : undefined}>
          A product is what you sell (an app, a plugin, a tool); its plans carry the policy its licenses follow.
        </EmptyState>
      );
    }
    return products.data.data.map((product) => {
      const own = plans.data.data.filter((plan) => plan.product_id === product.id);
      return (
        <Section
          key={product.id}
          id={`product-${product.id}`}
          title={
            <>
              {product.name} <code className={styles.secondary}>{product.code}</code>
            </>
          }
          actions={
            editable ? (
              <Button size="sm" onClick={() => setPlanFor(product)} aria-label={`New plan of ${product.name}`}>
                New plan
              </Button>
            ) : undefined
          }
        >
          <Table caption={`Plans of ${product.name}`} hideCaption columns={columns} rows={own} rowKey={(plan) => plan.id} empty={<EmptyState compact title="No plans yet">A plan sets the seats, term, grace and reminders of its licenses.</EmptyState>} />
        </Section>
      );
    });
  };

  return (
    <div className={styles.page}>
      <PageHeader
        title="Catalog"
        description="Products and their plans: the policy every license on a plan follows, unless the license overrides it."
        actions={
          editable && products.data?.data.length ? (
            <Button variant="primary" onClick={() => setNewProduct(true)}>
              New product
            </Button>
          ) : undefined
        }
      />
      {body()}
      <NewProductDialog open={newProduct} onClose={() => setNewProduct(false)} />
      <NewPlanDialog product={planFor} onClose={() => setPlanFor(null)} />
    </div>
  );
}
