import type { SearchFilters } from '../search/api';
import type { BulkOperationRequest, BulkOperationSpec, BulkSelection } from './api';

export interface SelectionState {
  mode: 'filter' | 'csv';
  /** The search page's filters (its filter bar is reused); the free-text query is not one of them here. */
  filter: SearchFilters;
  file: { name: string; text: string; rows: number } | null;
}

export interface OperationState {
  type: BulkOperationSpec['type'];
  days: string;
  until: string;
  planId: string;
  seatLimit: string;
  feature: string;
}

export const EMPTY_SELECTION: SelectionState = { mode: 'filter', filter: {}, file: null };
export const EMPTY_OPERATION: OperationState = { type: 'extend_expiry', days: '30', until: '', planId: '', seatLimit: '', feature: '' };

/** Field errors found before asking the API (the API checks again and its errors show at the same fields). */
export type FormErrors = Partial<Record<'selection' | 'csv' | 'days' | 'until' | 'plan_id' | 'seat_limit' | 'feature', string>>;

function selectionOf(state: SelectionState, errors: FormErrors): BulkSelection | null {
  if (state.mode === 'csv') {
    if (!state.file) errors.csv = 'Choose a CSV file of license ids or customer e-mails.';
    return state.file ? { type: 'csv', csv: state.file.text } : null;
  }
  const { status, product, plan, tier, expiring_within_days } = state.filter;
  const filter = {
    type: 'filter' as const,
    ...(status ? { status } : {}),
    ...(product ? { product } : {}),
    ...(plan ? { plan } : {}),
    ...(tier ? { tier } : {}),
    ...(expiring_within_days !== undefined ? { expiring_within_days } : {}),
  };
  if (Object.keys(filter).length === 1) errors.selection = 'Choose at least one filter: status, product, plan, tier or expiry window.';
  return filter;
}

const wholeNumber = (text: string, min: number, max: number) => (/^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max ? Number(text) : null);

function operationOf(state: OperationState, errors: FormErrors): BulkOperationSpec | null {
  switch (state.type) {
    case 'extend_expiry': {
      const days = wholeNumber(state.days, 1, 3650);
      if (days === null) errors.days = 'A whole number of days, from 1 to 3650.';
      return days === null ? null : { type: 'extend_expiry', days };
    }
    case 'extend_expiry_to':
      if (!state.until) errors.until = 'Choose the new expiry date.';
      return state.until ? { type: 'extend_expiry_to', until: `${state.until}T00:00:00Z` } : null;
    case 'change_plan':
      if (!state.planId) errors.plan_id = 'Choose the plan to move to.';
      return state.planId ? { type: 'change_plan', plan_id: state.planId } : null;
    case 'set_seat_limit': {
      const seats = wholeNumber(state.seatLimit, 1, 1_000_000);
      if (seats === null) errors.seat_limit = 'A whole number of seats, at least 1.';
      return seats === null ? null : { type: 'set_seat_limit', seat_limit: seats };
    }
    case 'add_feature':
    case 'remove_feature':
      if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(state.feature.trim())) errors.feature = 'A feature name: letters, digits and _ . : - only.';
      return errors.feature ? null : { type: state.type, feature: state.feature.trim() };
    default:
      return { type: state.type } as BulkOperationSpec;
  }
}

/** The request the form describes, or the errors that keep it from being sent. */
export function requestOf(selection: SelectionState, operation: OperationState): { body: Omit<BulkOperationRequest, 'dry_run' | 'reason'> | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const chosen = selectionOf(selection, errors);
  const change = operationOf(operation, errors);
  return { body: chosen && change && Object.keys(errors).length === 0 ? { selection: chosen, operation: change } : null, errors };
}

/** The API's field errors (`operation.days`, `selection`) at the form's fields. */
export function fieldErrorsOf(errors: { field: string; message: string }[]): FormErrors {
  const out: FormErrors = {};
  for (const { field, message } of errors) {
    const name = field.split('.').pop() as keyof FormErrors;
    if (field.startsWith('selection.csv')) out.csv = message;
    else if (field.startsWith('selection')) out.selection = message;
    else if (['days', 'until', 'plan_id', 'seat_limit', 'feature'].includes(name)) out[name] = message;
  }
  return out;
}
