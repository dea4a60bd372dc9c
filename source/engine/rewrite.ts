/** The rewrite for a card reached through CardAccess: the step machine of check/rewrite.ts, wired up. */
import { runRewrite, type RewriteResult } from '../check/rewrite.js';
import { defaultBackupDir, fileBackupStore } from '../check/backup.js';
import type { RewriteProgress, Verdict } from '../check/types.js';
import type { CardAccess } from './card-access.js';
import { ocspFor, type Network } from './check.js';

export interface RewriteRequest {
  askPin(): Promise<Uint8Array>;
  onProgress?(progress: RewriteProgress): void;
  backupDir?: string;
  previousVerdict?: Verdict;
  signal?: AbortSignal;
  now?(): Date;
}

export async function rewriteCard(access: CardAccess, net: Network, request: RewriteRequest): Promise<RewriteResult> {
  const writer = await access.writer();
  const now = request.now ?? (() => new Date());
  return runRewrite(
    {
      registry: net.registry,
      writer,
      // The proofs need the CA certificates, which a plain read leaves out (they cost ~16 APDUs).
      readCard: async () => {
        const info = await access.reread();
        if (info.caCertificates.length > 0) return info;
        const issuer = await access.issuerDer();
        return { ...info, caCertificates: issuer ? [{ subject: info.certificates[0]?.issuer ?? '', serialNumber: '', der: issuer }] : [] };
      },
      backupStore: fileBackupStore(request.backupDir ?? defaultBackupDir()),
      askPin: request.askPin,
      ocsp: (_card, registry) => ocspFor(access, net, registry.certificates.map((c) => c.serialNumber), now()),
    },
    {
      onProgress: request.onProgress,
      previousVerdict: request.previousVerdict,
      expectedCardNumber: access.info.number,
      signal: request.signal,
      now,
    },
  );
}
