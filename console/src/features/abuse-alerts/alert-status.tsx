import { Badge, type Tone } from '@web/components';
import type { AbuseAlertStatus } from './api';

const TONE: Record<AbuseAlertStatus, Tone> = { OPEN: 'warning', ACTED: 'danger', DISMISSED: 'neutral' };
const LABEL: Record<AbuseAlertStatus, string> = { OPEN: 'Open', ACTED: 'Acted on', DISMISSED: 'Dismissed' };

/** An alert's status in words (and a colour that agrees). */
export function AlertStatus({ status }: { status: AbuseAlertStatus }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
