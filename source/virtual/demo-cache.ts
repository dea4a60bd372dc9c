/**
 * The demo's certificates and card images, kept on disk beside its keys (certificates.json in the demo key
 * cache), so that a demo start builds no certificate and encodes no card once the day's are cached. The scenario's "now" is the one of the
 * first build of the day (Asia/Taipei): every date shown to a person and every whole-day count (days
 * left, expired or not) is then what a fresh build would give, and every certificate's inputs are the
 * same, so the cache key (pki.ts: a hash over every input) finds it. Stale by design after midnight in
 * Taipei or a new build of the app (its build id is in the file): the entries are then dropped.
 * Written by temp file + rename (0600); an unreadable, foreign or unwritable cache is a normal start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPem } from './pem.js';
import type { CertificateCache, IssuedCertificate } from './pki.js';
import type { VirtualCardState } from './image.js';

const FORMAT = 2;
const FILE = 'certificates.json';

interface StoredCertificate {
  serialNumber: string;
  der: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

interface Stored {
  format: number;
  build: string;
  day: string;
  now: string;
  certificates: Record<string, StoredCertificate>;
  /** Card images (scenario.ts), by the hash of their inputs. */
  images: Record<string, VirtualCardState>;
}

export interface DemoCertificateCache extends CertificateCache {
  /** The scenario's now: that of the day's first build. */
  now: Date;
  /** Whether every certificate and card image asked for was found (nothing was built). */
  complete(): boolean;
  /** Writes what was built (nothing when nothing new); never throws. */
  save(): void;
}

/** The calendar day in Asia/Taipei (UTC+8, no daylight saving). */
export function taipeiDay(t: Date): string {
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function load(path: string, build: string, day: string): Stored | undefined {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Stored;
    if (stored.format !== FORMAT || stored.build !== build || stored.day !== day) return undefined;
    if (typeof stored.certificates !== 'object' || stored.certificates === null || Number.isNaN(Date.parse(stored.now))) return undefined;
    if (typeof stored.images !== 'object' || stored.images === null) return undefined;
    return stored;
  } catch {
    return undefined;
  }
}

export function openDemoCertificateCache(dir: string, build: string, clock: Date = new Date()): DemoCertificateCache {
  const path = join(dir, FILE);
  const day = taipeiDay(clock);
  const stored: Stored = load(path, build, day) ?? { format: FORMAT, build, day, now: clock.toISOString(), certificates: {}, images: {} };
  let dirty = false;
  let missed = false;
  return {
    now: new Date(stored.now),
    get(key) {
      const c = stored.certificates[key];
      if (c === undefined) {
        missed = true;
        return undefined;
      }
      const der = new Uint8Array(Buffer.from(c.der, 'base64'));
      return { serialNumber: c.serialNumber, der, pem: toPem(der, 'CERTIFICATE'), subject: c.subject, issuer: c.issuer, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) };
    },
    set(key, c: IssuedCertificate) {
      stored.certificates[key] = {
        serialNumber: c.serialNumber, der: Buffer.from(c.der).toString('base64'), subject: c.subject, issuer: c.issuer,
        notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
      };
      dirty = true;
    },
    // Copies both ways: a card changes its own state (tries, rewrites), never the cache's.
    getImage(key) {
      const image = stored.images[key];
      if (image === undefined) {
        missed = true;
        return undefined;
      }
      return structuredClone(image);
    },
    setImage(key, image) {
      stored.images[key] = structuredClone(image);
      dirty = true;
    },
    complete: () => !missed,
    save() {
      if (!dirty) return;
      try {
        mkdirSync(dir, { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(stored), { mode: 0o600 });
        renameSync(temp, path);
        dirty = false;
      } catch {
        // an unwritable cache: the next start builds them again
      }
    },
  };
}
