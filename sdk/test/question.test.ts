import { nonceAsks, questionNonce, questionOf, questionRequest, questionSlot } from '../src/question.ts';

/** The question a signed answer is stored and reused for, and the nonce that commits to it. */
describe('validation questions', () => {
  const key = 'KW-7QXM-AAAA-BBBB-CCCC-DDDD-EEEE';

  it('are equal whatever the features’ order and repeats, and the whitespace the API trims', () => {
    const asked = questionOf({ key, fingerprint: 'laptop', features: ['sso', 'export', 'sso'] });
    expect(asked.features).toEqual(['export', 'sso']);
    expect(questionSlot(questionOf({ key: ` ${key} `, fingerprint: 'laptop ', features: ['export', 'sso'] }))).toBe(questionSlot(asked));
    expect(questionRequest(asked, 'n')).toEqual({ key, fingerprint: 'laptop', domain: undefined, user: undefined, features: ['export', 'sso'], nonce: 'n' });
  });

  it('differ by key, fingerprint, domain, user or set of features', () => {
    const plain = questionSlot(questionOf({ key }));
    const others = [
      questionOf({ key: 'KW-0000-0000-0000-0000-0000-0000' }),
      questionOf({ key, fingerprint: 'laptop' }),
      questionOf({ key, domain: 'example.com' }),
      questionOf({ key, user: 'ada' }),
      questionOf({ key, features: ['export'] }),
    ].map(questionSlot);
    expect(new Set([plain, ...others]).size).toBe(6);
  });

  it('have fresh nonces, each committing to its question and no other', () => {
    const laptop = questionOf({ key, fingerprint: 'laptop', features: ['export'] });
    const nonce = questionNonce(laptop);
    expect(nonce).not.toBe(questionNonce(laptop));
    expect(nonce.length).toBeLessThanOrEqual(200);
    expect(nonceAsks(nonce, questionOf({ key, fingerprint: 'laptop', features: ['export', 'export'] }))).toBe(true);
    expect(nonceAsks(nonce, questionOf({ key, fingerprint: 'desktop', features: ['export'] }))).toBe(false);
    expect(nonceAsks(nonce, questionOf({ key, fingerprint: 'laptop' }))).toBe(false);
    expect(nonceAsks(nonce, questionOf({ key, fingerprint: 'laptop', features: ['export'], user: 'ada' }))).toBe(false);
    for (const other of [undefined, 'n-1', `${nonce}.x`, nonce.split('.')[1]]) expect(nonceAsks(other, laptop)).toBe(false);
  });
});
