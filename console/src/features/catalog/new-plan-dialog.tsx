import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '@web/api/api-error';
import { Button, Dialog, TextField, useToast } from '@web/components';
import { useCreatePlan, type Product } from './api';
import { formErrors, NO_ERRORS, type FormErrors } from './form-errors';
import styles from './catalog.module.css';

/** Creates a plan of a product with the default policy, then opens its policy editor. */
export function NewPlanDialog({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const create = useCreatePlan();
  const toast = useToast();
  const navigate = useNavigate();
  const [fields, setFields] = useState({ code: '', name: '', tier: '' });
  const [error, setError] = useState<FormErrors>(NO_ERRORS);

  const close = () => {
    setFields({ code: '', name: '', tier: '' });
    setError(NO_ERRORS);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!product) return;
    try {
      const plan = await create.mutateAsync({ product_id: product.id, code: fields.code.trim(), name: fields.name.trim(), tier: fields.tier.trim(), stripe_price_ids: [] });
      toast(`Plan ${plan.name} created with the default policy`);
      close();
      navigate(`/catalog/plans/${plan.id}`);
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      if (failure.status === 401) return;
      setError(formErrors(failure, 'PLAN_CODE_TAKEN'));
    }
  };

  const set = (key: keyof typeof fields) => (event: { target: { value: string } }) => setFields({ ...fields, [key]: event.target.value });

  return (
    <Dialog
      open={product !== null}
      onClose={close}
      title={`New plan of ${product?.name ?? ''}`}
      description="It starts with the default policy; set the rest in its editor."
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form="new-plan" variant="primary" busy={create.isPending}>
            Create plan
          </Button>
        </>
      }
    >
      <form id="new-plan" className={styles.dialogForm} onSubmit={submit} noValidate>
        <TextField label="Code" hint="Permanent, unique within the product (e.g. pro-annual)." value={fields.code} onChange={set('code')} error={error.fields.code} autoComplete="off" required />
        <TextField label="Name" value={fields.name} onChange={set('name')} error={error.fields.name} autoComplete="off" required />
        <TextField label="Tier" hint="e.g. pro, enterprise." value={fields.tier} onChange={set('tier')} error={error.fields.tier} autoComplete="off" required />
        {error.form && (
          <p role="alert" className={styles.formError}>
            {error.form}
          </p>
        )}
      </form>
    </Dialog>
  );
}
