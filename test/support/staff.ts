import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { Role } from '../../lib/roles.ts';
import type { ApiStack } from './api-stack.ts';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A strong password nobody else uses. */
export const strongPassword = () => `quiet-harbour-${randomBytes(6).toString('hex')}`;

/** The secret of a one-time link (`…/admin/link#token=kwl_…`). */
export const linkToken = (url: string) => new URL(url).hash.replace(/^#token=/, '');

/**
 * A browser on the API's own origin: it keeps cookies (as a browser does for this site), sends
 * `Origin` with writes, and sends the session's CSRF token in `X-CSRF-Token` once signed in.
 */
export class Browser {
  readonly stack: ApiStack;
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;
  origin: string;

  constructor(stack: ApiStack, origin = stack.baseUrl) {
    this.stack = stack;
    this.origin = origin;
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('kw_staff_session');
  }

  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean; origin?: string | null } = {}): Promise<Answer> {
    const write = !['GET', 'HEAD'].includes(method);
    const headers: Record<string, string> = {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
      ...(write && options.origin !== null ? { origin: options.origin ?? this.origin } : {}),
      ...(write && options.csrf !== false && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
      ...options.headers,
    };
    const response = await fetch(this.stack.baseUrl + path, { method, headers, redirect: 'manual', body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';').map((part) => part.trim());
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body };
  }

  async signIn(email: string, password: string, extra: Record<string, string> = {}): Promise<Answer> {
    const answer = await this.request('POST', '/v1/sessions', { body: { email, password, ...extra } });
    if (answer.status === 201) this.csrfToken = answer.body.csrf_token;
    return answer;
  }
}

export interface StaffAccount {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/** A staff member with a password, made as an owner would: invited with the admin token, the link redeemed. */
export async function createStaff(
  stack: ApiStack,
  role: Role,
  overrides: { email?: string; name?: string; /** Where the link went when it was e-mailed. */ mailedLink?: (email: string) => string } = {},
): Promise<StaffAccount> {
  const email = overrides.email ?? `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const invited = await stack.request('POST', '/v1/staff', { body: { email, name: overrides.name ?? `A ${role}`, role } });
  if (invited.status !== 201) throw new Error(`staff not invited: ${JSON.stringify(invited.body)}`);
  const password = strongPassword();
  const link = invited.body.invitation.link ?? overrides.mailedLink?.(email);
  const redeemed = await stack.request('POST', '/v1/staff-links/redeem', { body: { token: linkToken(link), password }, token: null });
  if (redeemed.status !== 200) throw new Error(`invitation not redeemed: ${JSON.stringify(redeemed.body)}`);
  return { id: invited.body.id, email, password, role };
}

/** A browser signed in as a new member of that role. */
export async function signedIn(stack: ApiStack, role: Role): Promise<{ browser: Browser; account: StaffAccount }> {
  const account = await createStaff(stack, role);
  const browser = new Browser(stack);
  const answer = await browser.signIn(account.email, account.password);
  if (answer.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
  return { browser, account };
}

/** The current TOTP code of a base32 secret. */
export const totpCode = (secret: string, epoch?: number) => generate({ secret, ...(epoch ? { epoch } : {}) });
