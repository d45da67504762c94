// TOTP as an authenticator app computes it (otpauth), from the otpauth:// URI the page's QR code holds.
// The server accepts a time step once per account (a code of a step not later than the last one used is
// refused: SecondFactorStore, LastTotpStep), so each use waits for a step after the previous one, as a
// person would wait for the app to show a new code.
import * as OTPAuth from 'otpauth';

export function fromUri(uri) {
  const totp = OTPAuth.URI.parse(uri);
  if (!(totp instanceof OTPAuth.TOTP)) throw new Error(`not a TOTP URI: ${uri}`);
  return totp;
}

export function fromSecret(secret) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

const stepOf = (totp, now = Date.now()) => Math.floor(now / 1000 / totp.period);

/**
 * A code of a time step later than `after.step` (waiting for it when needed), and that step.
 * Keep the returned object and pass it back as `after` for the next code.
 */
export async function freshCode(totp, after = { step: -1 }) {
  for (;;) {
    const now = Date.now();
    const step = stepOf(totp, now);
    // A code in its last second may reach the server after its step; the server allows one step of drift,
    // but a later step is cleaner: wait for it.
    const msLeft = (step + 1) * totp.period * 1000 - now;
    if (step > after.step && msLeft > 1500) {
      return { code: totp.generate({ timestamp: now }), step };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(msLeft + 50, 31_000)));
  }
}
