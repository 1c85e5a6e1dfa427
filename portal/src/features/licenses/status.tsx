import { StatusPill } from '@web/components';
import type { PortalLicense } from './api';

/** The status in plain words, its colour from the shared kit; the explanation on hover and for screen readers. */
export function LicenseStatus({ license }: { license: Pick<PortalLicense, 'status' | 'status_label' | 'status_explanation'> }) {
  return <StatusPill status={license.status} label={license.status_label} title={license.status_explanation} />;
}
