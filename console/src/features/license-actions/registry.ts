import type { ComponentType, ReactNode } from 'react';
import type { LicenseDetail } from '../accounts/api';
import type { Scope } from '../auth/session';
import type { LicenseSearchHit } from '../search/api';

/** What an action's form is given: the license as loaded, and how to finish. */
export interface ActionFormProps {
  license: LicenseDetail;
  /** The search's view of it: product and plan names, the customer. */
  hit: LicenseSearchHit;
  /** The action ran: closes the dialog and shows `result` on the page, with `detail` under it (a token to copy). */
  done: (result: string, detail?: ReactNode) => void;
  cancel: () => void;
}

/**
 * One action on a license (extend the trial, revoke, …): its button, who may use it, when it
 * applies, and its form, which says what will change and asks for the reason. Each lives in a
 * file of its own (ours under `actions/`; another feature's in its own folder) and is registered
 * by one line of `actions/index.ts`.
 */
export interface LicenseAction {
  /** Stable id: the URL's `?action=` (so an expired session comes back to the open form). */
  id: string;
  /** The button's label, a verb: "Extend trial". */
  label: string;
  /** Where its button goes among the others (ascending; the built-in ones are 10, 20, …). */
  order: number;
  /** The scope the API asks for (lib/roles.ts): without it the button is not shown. */
  scope: Scope;
  /** Destructive actions look it. */
  tone?: 'danger';
  /** Whether the action applies to the license as it is now (else its button is not shown). */
  appliesTo: (license: LicenseDetail) => boolean;
  Form: ComponentType<ActionFormProps>;
}
