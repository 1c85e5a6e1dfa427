import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isApiError, type ApiError } from '@web/api/api-error';
import { Button, Notice, Section, TextField, useToast } from '@web/components';
import { plural } from '@web/lib/format';
import { fetchLicenseFile, type PortalLicenseDetail } from './api';
import styles from './licenses.module.css';

/** Saves text as a file, as a download. */
function saveFile(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-keywarden-license' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A license file for a machine that never goes online: bound to the fingerprint typed, within the plan's monthly allowance. */
export function LicenseFileSection({ license }: { license: PortalLicenseDetail }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [fingerprint, setFingerprint] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const files = license.license_files;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const file = await fetchLicenseFile(license.id, fingerprint);
      saveFile(file.text, file.fileName);
      toast(`${file.fileName} downloaded. Copy it to the offline machine.`);
      setFingerprint('');
      await queryClient.invalidateQueries({ queryKey: ['portal', 'license', license.id] });
    } catch (failure) {
      if (isApiError(failure)) setError(failure);
      else throw failure;
    } finally {
      setBusy(false);
    }
  };

  const fieldError = error?.fieldMessage('fingerprint') ?? null;
  return (
    <Section title="License file for an offline machine" id="license-file">
      <p className={styles.muted}>
        For a machine without internet access: type the fingerprint the product shows on that machine, and copy the downloaded file to it. The file works for 30 days.{' '}
        {files.limit === 0 ? 'Your plan does not include license files.' : `${plural(files.left ?? 0, 'file')} left in the last ${files.period_days} days (your plan allows ${files.limit}).`}
      </p>
      <form className={styles.form} onSubmit={submit} noValidate>
        <TextField
          label="Machine fingerprint"
          value={fingerprint}
          onChange={(event) => setFingerprint(event.target.value)}
          error={fieldError}
          autoComplete="off"
          spellCheck={false}
        />
        {error && !fieldError && (
          <Notice tone="danger">
            {error.detail}
          </Notice>
        )}
        <div>
          <Button type="submit" busy={busy} disabled={files.left === 0}>
            Download license file
          </Button>
        </div>
      </form>
    </Section>
  );
}
