// The App's JWT (what an installation token is requested with), signed with a private key parsed once
// and reused until shortly before it expires. Octokit's default re-imports the PEM key and signs a
// new JWT for every token request; parsing an RSA key is most of that cost. A JWT is a bearer
// credential valid for its whole lifetime, so reusing it changes nothing GitHub checks.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";

/** What @octokit/auth-app calls instead of signing with `privateKey` itself. */
export type CreateJwt = (appId: string | number, timeDifference?: number) => Promise<{ jwt: string; expiresAt: string }>;

/** GitHub accepts at most 10 minutes; issued 30 s in the past against clock drift, as Octokit does. */
const LIFETIME_S = 600;
const BACKDATE_S = 30;
/** A JWT with less left than this is not handed out again: a slow token request must not outlive it. */
const RENEW_BEFORE_S = 120;

export interface AppJwtOptions {
  now?: () => number;
  /** Parses the PEM key (PKCS#1 or PKCS#8); tests count the calls. */
  parseKey?: (pem: string) => KeyObject;
}

export function appJwtSigner(privateKey: string, { now = Date.now, parseKey = createPrivateKey }: AppJwtOptions = {}): CreateJwt {
  let key: KeyObject | undefined;
  const issued = new Map<string, { jwt: string; expiresAt: number }>();
  return async (appId, timeDifference = 0) => {
    const at = Math.floor(now() / 1000) + timeDifference;
    const cacheKey = `${appId}:${timeDifference}`;
    const kept = issued.get(cacheKey);
    if (kept && kept.expiresAt - at > RENEW_BEFORE_S) return { jwt: kept.jwt, expiresAt: new Date(kept.expiresAt * 1000).toISOString() };
    // Keys pasted into environment variables often carry escaped line breaks.
    key ??= parseKey(privateKey.replace(/\\n/g, "\n"));
    const iat = at - BACKDATE_S;
    const exp = iat + LIFETIME_S;
    const unsigned = `${base64url({ alg: "RS256", typ: "JWT" })}.${base64url({ iat, exp, iss: appId })}`;
    const jwt = `${unsigned}.${sign("RSA-SHA256", Buffer.from(unsigned), key).toString("base64url")}`;
    issued.set(cacheKey, { jwt, expiresAt: exp });
    return { jwt, expiresAt: new Date(exp * 1000).toISOString() };
  };
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
