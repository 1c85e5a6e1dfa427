import { useState, type FormEvent } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, Dialog, TextField, useToast } from '@web/components';
import { useCreateProduct } from './api';
import { formErrors, NO_ERRORS, type FormErrors } from './form-errors';
import styles from './catalog.module.css';

/** Creates a product (its code is permanent); the API's field errors show under each field. */
export function NewProductDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateProduct();
  const toast = useToast();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<FormErrors>(NO_ERRORS);

  const close = () => {
    setCode('');
    setName('');
    setError(NO_ERRORS);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const product = await create.mutateAsync({ code: code.trim(), name: name.trim(), metadata: {} });
      toast(`Product ${product.name} created`);
      close();
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      if (failure.status === 401) return;
      setError(formErrors(failure, 'PRODUCT_CODE_TAKEN'));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="New product"
      description="What you sell. Its plans carry the policy."
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form="new-product" variant="primary" busy={create.isPending}>
            Create product
          </Button>
        </>
      }
    >
      <form id="new-product" className={styles.dialogForm} onSubmit={submit} noValidate>
        <TextField label="Code" hint="Permanent: lower-case letters, digits, dots, dashes (e.g. acme-desktop)." value={code} onChange={(e) => setCode(e.target.value)} error={error.fields.code} autoComplete="off" required />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={error.fields.name} autoComplete="off" required />
        {error.form && (
          <p role="alert" className={styles.formError}>
            {error.form}
          </p>
        )}
      </form>
    </Dialog>
  );
}
