import { api, data, type Schemas } from '@web/api/client';
import { CopyButton, Select, TextField } from '@web/components';
import { plural } from '@web/lib/format';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { utcDay } from '../dates';
import type { ActionFormProps, LicenseAction } from '../registry';
import styles from '../license-actions.module.css';

/** Saves text as a file the browser downloads (a license file for an air-gapped machine). */
function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-keywarden-license' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A signed offline token for a machine without internet access: shown once to copy, or as a
 * license file to download. Its claims are the license's entitlements now; it ends after the
 * days asked for, never after the license itself.
 */
function OfflineTokenForm(props: ActionFormProps) {
  const { license } = props;
  const [fingerprint, setFingerprint, clearFingerprint] = useActionDraft(`licenses/${license.id}`, 'offline-token', 'fingerprint');
  const [domain, setDomain, clearDomain] = useActionDraft(`licenses/${license.id}`, 'offline-token', 'domain');
  const [days, setDays, clearDays] = useActionDraft(`licenses/${license.id}`, 'offline-token', 'ttl_days', '30');
  const [format, setFormat, clearFormat] = useActionDraft(`licenses/${license.id}`, 'offline-token', 'format', 'file');
  const ttl = Number(days);
  const end = license.status === 'TRIALING' ? license.trial_ends_at : license.expires_at;
  const body = (reason: string) => ({ ...(fingerprint.trim() ? { fingerprint: fingerprint.trim() } : {}), ...(domain.trim() ? { domain: domain.trim() } : {}), ttl_days: ttl, reason });
  const path = { params: { path: { id: license.id } } };
  return (
    <ActionFormFrame
      {...frameOf(props, 'offline-token')}
      confirmLabel={format === 'file' ? 'Issue and download' : 'Issue token'}
      summary={
        <>
          <p>
            A token signed with the current signing key, carrying this license's plan, seats and features, valid for <strong>{Number.isInteger(ttl) && ttl > 0 ? plural(ttl, 'day') : '…'}</strong>
            {end ? `, and never past the license's own end (${utcDay(end)})` : ''}
            {fingerprint.trim() ? `, only on the machine ${fingerprint.trim()}` : ', on any machine'}.
          </p>
          <p className="muted">Issued tokens cannot be revoked: they end on their date. The log keeps who issued which, never the token itself.</p>
        </>
      }
      fieldNames={['fingerprint', 'domain', 'ttl_days']}
      codeFields={{ INVALID_DATE: 'ttl_days' }}
      check={() => (Number.isInteger(ttl) && ttl >= 1 && ttl <= 3650 ? null : { field: 'ttl_days', message: 'A whole number of days, 1 to 3650.' })}
      fields={(fieldError) => (
        <>
          <div className={styles.row}>
            <TextField label="Machine fingerprint" hint="Optional: binds the token to one machine." value={fingerprint} onChange={(e) => setFingerprint(e.target.value)} error={fieldError('fingerprint')} maxLength={255} />
            <TextField label="Domain" hint="Optional: example.com or *.example.com." value={domain} onChange={(e) => setDomain(e.target.value)} error={fieldError('domain')} maxLength={255} />
          </div>
          <div className={styles.row}>
            <TextField label="Valid for (days)" type="number" inputMode="numeric" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} error={fieldError('ttl_days')} />
            <Select label="Deliver as" value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="file">A license file to download (.kwlicense)</option>
              <option value="token">A token to copy</option>
            </Select>
          </div>
        </>
      )}
      clearDrafts={[clearFingerprint, clearDomain, clearDays, clearFormat]}
      run={async (reason) => {
        if (format === 'file') {
          const answer = await api.POST('/v1/licenses/{id}/offline-tokens', { ...path, params: { ...path.params, query: { format: 'file' } }, body: body(reason), parseAs: 'text' });
          const name = /filename="([^"]+)"/.exec(answer.response.headers.get('content-disposition') ?? '')?.[1] ?? `license-${license.id}.kwlicense`;
          download(answer.data as unknown as string, name);
          return `License file ${name} issued and downloaded.`;
        }
        const issued = (await data(api.POST('/v1/licenses/{id}/offline-tokens', { ...path, body: body(reason) }))) as Schemas['IssuedOfflineToken'];
        return {
          result: `Offline token issued, valid until ${utcDay(issued.expires_at)}. Copy it now: it is not shown again.`,
          detail: (
            <div className={styles.keyBox}>
              <code className={styles.token}>{issued.token}</code>
              <CopyButton value={issued.token} label="Copy the token" />
            </div>
          ),
        };
      }}
    />
  );
}

export const offlineToken: LicenseAction = {
  id: 'offline-token',
  label: 'Offline token',
  order: 60,
  scope: 'licenses:write',
  appliesTo: (license) => ['ACTIVE', 'TRIALING', 'PAST_DUE'].includes(license.status),
  Form: OfflineTokenForm,
};
