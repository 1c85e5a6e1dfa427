import { Button } from '@web/components';

/**
 * The footer of a dialog that submits a form and then shows what it made (an invitation's link,
 * a token): Cancel and the submit button before, Done after.
 */
export function FormDialogFooter({ done, onClose, formId, busy, submitLabel }: { done: boolean; onClose: () => void; formId: string; busy: boolean; submitLabel: string }) {
  if (done) {
    return (
      <Button variant="primary" onClick={onClose}>
        Done
      </Button>
    );
  }
  return (
    <>
      <Button onClick={onClose}>Cancel</Button>
      <Button type="submit" form={formId} variant="primary" busy={busy}>
        {submitLabel}
      </Button>
    </>
  );
}
