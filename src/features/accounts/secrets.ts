import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions,
) => Promise<Buffer>;

// N=2^15 costs about 50 ms here: slow for guessing, fine for a sign-in.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** "scrypt$N$r$p$salt$hash", so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);

  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p,
    salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(
  password: string, stored: string | null,
): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"),
    expected.length, { N: Number(n), r: Number(r), p: Number(p),
      maxmem: PARAMS.maxmem });

  return crypto.timingSafeEqual(actual, expected);
}

/** A random secret for a URL or a cookie. */
export const randomToken = (bytes = 32) =>
  crypto.randomBytes(bytes).toString("base64url");

/** Tokens are stored hashed: a leaked table opens no session. */
export const hashToken = (token: string) =>
  crypto.createHash("sha256").update(token).digest("base64url");
