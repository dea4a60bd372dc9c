/**
 * What an OCSP responder for a scenario needs: the issuing CA (certificate and key, which signs the
 * answers) and the status of every serial, also as an `openssl ocsp -index` file.
 */
import { writeFile } from 'node:fs/promises';
import type { RegistryStatus } from '../registry/types.js';
import type { IssuedCertificate, TestPki } from './pki.js';
import { serialToHexOctets } from './serial.js';

export type CrlReason =
  | 'unspecified' | 'keyCompromise' | 'cACompromise' | 'affiliationChanged' | 'superseded'
  | 'cessationOfOperation' | 'certificateHold' | 'removeFromCRL' | 'privilegeWithdrawn' | 'aACompromise';

export interface OcspEntrySpec {
  status: 'good' | 'revoked' | 'unknown';
  reason?: CrlReason;
  /** A date, or days relative to the scenario's `now`. */
  revokedAt?: Date | number;
}

export interface OcspEntry {
  serialNumber: string;
  status: 'good' | 'revoked' | 'unknown';
  reason: CrlReason | null;
  revokedAt: Date | null;
  notAfter: Date;
  subject: string;
}

export interface OcspFixture {
  issuer: IssuedCertificate;
  /** PKCS#8 PEM of the key that signs the answers (the issuing CA's own). */
  responderKeyPem: string;
  responderKeyPkcs8: Uint8Array;
  /** By serial (upper-case hex, no leading zeros). */
  entries: Record<string, OcspEntry>;
  /** An `openssl ca` index.txt for `openssl ocsp -index` (serials "unknown" to it are absent). */
  opensslIndex(): string;
  /** Writes the index and its .attr (unique_subject = no: both holder certificates share a subject). */
  writeOpensslIndex(path: string): Promise<void>;
}

const DAY = 86_400_000;

/** The registry's status as OCSP reports it: suspended is a hold; expired certificates stay good. */
function fromStatus(status: RegistryStatus): OcspEntrySpec {
  switch (status) {
    case 'revoked': return { status: 'revoked', reason: 'keyCompromise' };
    case 'suspended': return { status: 'revoked', reason: 'certificateHold' };
    default: return { status: 'good' };
  }
}

function opensslTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

function opensslName(subject: string): string {
  return '/' + subject.split(/,\s*/).join('/');
}

export function buildOcspFixture(
  pki: TestPki,
  now: Date,
  certificates: Array<{ certificate: IssuedCertificate; status: RegistryStatus; override?: OcspEntrySpec }>,
): OcspFixture {
  const entries: Record<string, OcspEntry> = {};
  for (const { certificate, status, override } of certificates) {
    const spec = override ?? fromStatus(status);
    const revokedAt = spec.revokedAt === undefined
      ? new Date(Math.max(certificate.notBefore.getTime(), now.getTime() - 7 * DAY))
      : typeof spec.revokedAt === 'number' ? new Date(now.getTime() + spec.revokedAt * DAY) : spec.revokedAt;
    entries[certificate.serialNumber] = {
      serialNumber: certificate.serialNumber,
      status: spec.status,
      reason: spec.status === 'revoked' ? spec.reason ?? 'unspecified' : null,
      revokedAt: spec.status === 'revoked' ? revokedAt : null,
      notAfter: certificate.notAfter,
      subject: certificate.subject,
    };
  }
  return {
    issuer: pki.issuing.certificate,
    responderKeyPem: pki.issuing.key.pkcs8Pem,
    responderKeyPkcs8: pki.issuing.key.pkcs8,
    entries,
    opensslIndex() {
      return Object.values(entries)
        .filter((e) => e.status !== 'unknown')
        .map((e) => {
          const serial = serialToHexOctets(e.serialNumber);
          const name = opensslName(e.subject);
          if (e.status === 'good') return `V\t${opensslTime(e.notAfter)}\t\t${serial}\tunknown\t${name}\n`;
          // openssl wants a hold instruction after certificateHold
          const reason = e.reason === 'certificateHold' ? 'certificateHold,holdInstructionReject' : e.reason;
          return `R\t${opensslTime(e.notAfter)}\t${opensslTime(e.revokedAt ?? now)},${reason}\t${serial}\tunknown\t${name}\n`;
        })
        .join('');
    },
    async writeOpensslIndex(path) {
      await writeFile(path, this.opensslIndex());
      await writeFile(`${path}.attr`, 'unique_subject = no\n');
    },
  };
}
