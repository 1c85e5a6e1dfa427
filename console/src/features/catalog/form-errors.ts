import type { ApiError } from '@web/api/api-error';

export interface FormErrors {
  /** By field: the API's field errors, and a taken code under the code field. */
  fields: Record<string, string>;
  /** What no field explains (shown at the form's foot). */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/** A refused create, said where the user acted: under the field the API names, else at the form. */
export function formErrors(failure: ApiError, takenCode: string): FormErrors {
  const fields = Object.fromEntries(failure.errors.map((error) => [error.field, error.message]));
  if (failure.code === takenCode) fields.code = failure.detail;
  return { fields, form: Object.keys(fields).length ? null : `${failure.detail} (${failure.code})` };
}
