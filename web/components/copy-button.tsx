import { useState } from 'react';
import { Button } from './button';

/** Copies a value (an id, a hint) to the clipboard and says so. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (an insecure origin): select-and-copy through a hidden field.
      const area = document.createElement('textarea');
      area.value = value;
      area.setAttribute('readonly', '');
      area.className = 'visually-hidden';
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <Button size="sm" variant="ghost" onClick={copy} aria-label={copied ? 'Copied' : `${label}: ${value}`}>
      {copied ? 'Copied' : label}
    </Button>
  );
}
