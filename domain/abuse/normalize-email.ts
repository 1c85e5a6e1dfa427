/**
 * The mailbox behind an address, as trial cyclers vary it: lower-cased, `+tag` removed and dots
 * removed from the local part (`Ada.Lovelace+trial2@Example.com` → `adalovelace@example.com`).
 * Applied to every provider alike: a false match costs a staff look, a missed cycle costs revenue.
 */
export function normalizeEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  const local = address.slice(0, at).split('+', 1)[0]!.replaceAll('.', '');
  return `${local}@${address.slice(at + 1)}`;
}
