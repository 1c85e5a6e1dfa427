import type { ActivationRejectionCode, ResultCode } from './codes.ts';
import type { UntrustedCode } from './verified-answer.ts';

/** What the software sees of its license (the API's ClientLicense). */
export interface ClientLicense {
  id: string;
  status: string;
  plan: string;
  product: string;
  tier: string;
  features: Record<string, unknown>;
  seat_model: string;
  seat_limit: number | null;
  current_activations?: number;
  expires_at: string | null;
  trial_ends_at?: string | null;
}

/** Where a verdict came from. */
export type ResultSource = 'online' | 'cache' | 'signed-response' | 'offline-token' | 'none';

export interface LicenseResult {
  /** True for VALID, PAST_DUE and IN_GRACE: the software may run. */
  valid: boolean;
  code: ResultCode;
  detail: string;
  license: ClientLicense | null;
  source: ResultSource;
  /** When the server decided (a signed answer) or issued the token. */
  ts: string | null;
  /** Until when this verdict may be used without asking the server again. */
  validUntil: string | null;
}

/**
 * An activation, deactivation or heartbeat the server refused (its signed answer), or whose
 * answer this client did not trust: SIGNATURE_INVALID, KEY_MISMATCH, NONCE_MISMATCH.
 */
export type SeatRefusal = { ok: false; code: ActivationRejectionCode | 'NOT_FOUND' | UntrustedCode; detail: string };

/** `ts`: when the server decided (inside the signed body). */
export type ActivationResult = { ok: true; created: boolean; activation: { id: string; fingerprint: string; lease_expires_at: string | null }; license: ClientLicense; ts: string } | SeatRefusal;

export type DeactivationResult = { ok: true; activation: { id: string }; license: ClientLicense; ts: string } | SeatRefusal;

export type HeartbeatResult = { ok: true; activation: { id: string; lease_expires_at: string | null }; ts: string } | SeatRefusal;

/** The signed body of an activation, deactivation or heartbeat answer (success or refusal). */
export interface SeatBody {
  code: string;
  detail: string;
  /** Activate: whether this call took the seat (signed, unlike the HTTP status). */
  created?: boolean;
  /** The machine the answer was decided for. */
  scope?: { fingerprint?: string };
  activation: any;
  license: ClientLicense;
  nonce?: string;
  ts: string;
}

/** The server's verified refusal (422, or 404 for an unknown key): its signed code and detail. */
export function refusedBy(body: SeatBody): SeatRefusal {
  return { ok: false, code: body.code as SeatRefusal['code'], detail: body.detail };
}

/** A refusal the client decided itself (nothing signed to show for it). */
export function refusal(code: ResultCode, detail: string, source: ResultSource): LicenseResult {
  return { valid: false, code, detail, license: null, source, ts: null, validUntil: null };
}
