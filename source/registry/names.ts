/**
 * X.500 names compared as pkijs compares them (RFC 5280: each value string-prepped, then
 * String#localeCompare), answered first by their DER: the same bytes are the same name by that rule too,
 * so the usual case (a certificate naming its issuer, or a responder itself, exactly as the other
 * certificate does) never starts ICU's collation (≈ 7 ms and ≈ 3.5 MiB on a process's first
 * localeCompare, measured: issue 15). Other bytes: pkijs decides, as before.
 */
import * as pkijs from 'pkijs';
import { pkijsCrypto } from './pkijs-crypto.js';

export function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  const x = new Uint8Array(a.valueBeforeDecode);
  if (x.byteLength > 0 && Buffer.from(x).equals(Buffer.from(new Uint8Array(b.valueBeforeDecode)))) return true;
  return a.isEqual(b);
}

/**
 * pkijs's Certificate#verify: by `by`'s key; without `by`, a self-signed certificate by its own key
 * (pkijs takes its own key only when issuer and subject are the same name: here by sameName); false for
 * anything that does not verify.
 */
export async function verifiesBy(cert: pkijs.Certificate, by?: pkijs.Certificate): Promise<boolean> {
  if (by === undefined) {
    if (!sameName(cert.issuer, cert.subject)) return false;
    by = cert;
  }
  return cert.verify(by, pkijsCrypto).catch(() => false);
}
