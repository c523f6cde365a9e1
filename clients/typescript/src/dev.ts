// The local host's dev sign-in (not part of the API contract, never in a deployment): POST /dev/token on the
// console origin mints a user JWT that the local API front accepts, as a Cognito ID token is accepted in AWS.
import type { TokenProvider } from './index.js';

export interface DevToken {
  token: string;
  /** Seconds. */
  expiresIn: number;
  userName: string;
}

/** Signs `userName` in with the local host's dev issuer at `consoleUrl` (e.g. http://127.0.0.1:3001). */
export async function devSignIn(consoleUrl: string, userName: string, send: typeof fetch = globalThis.fetch): Promise<DevToken> {
  const response = await send(`${consoleUrl.replace(/\/+$/, '')}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName }),
  });
  const body = await response.json().catch(() => null) as (DevToken & { message?: string }) | null;
  if (!response.ok || !body?.token) throw new Error(`dev sign-in failed: HTTP ${response.status} ${body?.message ?? ''}`.trim());
  return body;
}

/** A TokenProvider for the local host: signs in once, again when asked to refresh or a minute before expiry. */
export function devTokenProvider(consoleUrl: string, userName: string): TokenProvider {
  let current: { token: string; renewAt: number } | undefined;
  return async ({ forceRefresh }) => {
    if (forceRefresh || !current || Date.now() >= current.renewAt) {
      const minted = await devSignIn(consoleUrl, userName);
      current = { token: minted.token, renewAt: Date.now() + Math.max(0, minted.expiresIn - 60) * 1000 };
    }
    return current.token;
  };
}
