import * as client from 'openid-client';
import type { OidcConfig } from '../../lib/identity-config.ts';
import { Refusal } from '../refusal.ts';

/** What the browser keeps (sealed, in a short-lived cookie) between leaving for the provider and coming back. */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
}

export interface OidcIdentity {
  subject: string;
  email: string;
  name: string | null;
  groups: string[];
}

export const OIDC_FLOW_LIFETIME_MS = 10 * 60_000;

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * Single sign-on with an OpenID Connect provider through openid-client: the authorization code
 * flow with PKCE (S256), `state` and `nonce`, and the client secret at the token endpoint.
 * The provider's metadata is discovered on first use (and again after a failure). Plain http
 * is accepted only for a provider on this machine (development, tests).
 */
export class OidcClient {
  readonly config: OidcConfig;
  readonly redirectUri: string;
  #configuration: Promise<client.Configuration> | undefined;

  constructor(config: OidcConfig, publicUrl: string) {
    this.config = config;
    this.redirectUri = `${publicUrl.replace(/\/$/, '')}/v1/sso/oidc/callback`;
  }

  #discover(): Promise<client.Configuration> {
    if (!this.#configuration) {
      const issuer = new URL(this.config.issuer);
      const insecure = issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname);
      this.#configuration = client
        .discovery(issuer, this.config.clientId, { client_secret: this.config.clientSecret }, client.ClientSecretPost(this.config.clientSecret), {
          ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
          timeout: 10,
        })
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw new Refusal('SSO_FAILED', `the identity provider at ${this.config.issuer} could not be reached: ${(error as Error).message}`);
        });
    }
    return this.#configuration;
  }

  /** Where to send the browser, and the flow to remember until it comes back. */
  async begin(returnTo: string): Promise<{ url: string; flow: OidcFlow }> {
    const configuration = await this.#discover();
    const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), returnTo, expiresAt: Date.now() + OIDC_FLOW_LIFETIME_MS };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * Completes the flow from the provider's redirect (the callback URL as received): checks
   * state, PKCE, the ID token and its nonce, then reads the person's claims (ID token, then
   * the UserInfo endpoint for e-mail and groups).
   */
  async finish(callbackUrl: URL, flow: OidcFlow): Promise<OidcIdentity> {
    if (flow.expiresAt < Date.now()) throw new Refusal('SSO_FAILED', 'the sign-in took longer than 10 minutes; start again');
    const configuration = await this.#discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new Refusal('SSO_FAILED', `the identity provider's answer was refused: ${(error as Error).message}`);
    }
    const idClaims = tokens.claims()!;
    const info = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub).catch(() => ({}) as Record<string, unknown>);
    const claims = { ...idClaims, ...info } as Record<string, unknown>;
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email) throw new Refusal('SSO_NOT_ALLOWED', 'the identity provider did not say who you are (no email claim; add the email scope)');
    if (claims.email_verified === false) throw new Refusal('SSO_NOT_ALLOWED', 'the identity provider has not verified this e-mail address');
    const rawGroups = claims[this.config.groupsClaim];
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((group): group is string => typeof group === 'string') : [];
    return { subject: String(idClaims.sub), email, name: typeof claims.name === 'string' ? claims.name : null, groups };
  }
}
