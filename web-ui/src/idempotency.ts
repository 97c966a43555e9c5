/**
 * Keys for idempotent creates (`Idempotency-Key`): one per new ticket, reused for every
 * retry of the same submission.
 */

/**
 * A fresh random key: `crypto.randomUUID()` where there is one (secure contexts only, so
 * not on a plain-http LAN address), else 32 random hex digits.
 */
export function newIdempotencyKey(): string {
  const cryptoApi: Crypto | undefined = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof cryptoApi?.getRandomValues === 'function') cryptoApi.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
