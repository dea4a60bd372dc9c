/** Cards and check results for the UI tests, after the issuer's manual (圖三-圖八). */
import type { CardInfo, HolderCertificate } from '../../source/card/types.js';
import type { CertificateStatus, GuidanceItem, Verdict, VerdictCode } from '../../source/check/types.js';
import type { OcspReport } from '../../source/registry/types.js';
import type { CheckResult } from '../../source/ui/engine.js';
import { VIRTUAL_ATR } from '../../source/card/layout.js';
import { holder } from '../check/fixtures.js';

export { VIRTUAL_ATR };

/** The check tests' holder certificate, with the dates and names these screens were written against. */
function cert(slot: 0 | 1, serialNumber: string, notAfter = '2028-06-30T15:59:59Z'): HolderCertificate {
  return holder(slot, serialNumber, {
    subject: 'CN=TEST,C=TW',
    issuer: 'CN=MOICA,C=TW',
    notBefore: new Date('2023-07-01T00:00:00Z'),
    notAfter: new Date(notAfter),
  });
}

export function card(reader: string, number = 'TP03130708163649', serials: [string, string] = ['3B7161C40F46488916A', '69D8DCA6BECC064523'], notAfter?: string): CardInfo {
  return {
    reader,
    atr: VIRTUAL_ATR,
    generation: 1,
    virtual: true,
    number,
    certificates: [cert(0, serials[0], notAfter), cert(1, serials[1], notAfter)],
    caCertificates: [],
    consistent: true,
  };
}

export const OCSP_OK: OcspReport = { checked: true, certificates: [], };
export const OCSP_UNREACHABLE: OcspReport = { checked: false, certificates: [], notCheckedReason: 'unreachable' };

export function result(code: VerdictCode, status: CertificateStatus, options: { match?: boolean; ocsp?: OcspReport; guidance?: GuidanceItem[] } = {}): CheckResult {
  const match = options.match ?? code !== 'B-1';
  const key = code === 'C' ? `verdict.C.${status}.${match ? 'match' : 'mismatch'}` : `verdict.${code}`;
  const verdict: Verdict = {
    verdict: code,
    status,
    match,
    basis: 'registry',
    statusSource: 'registry',
    action: code === 'A' ? 'none' : code === 'B-1' ? 'rewrite' : status === 'suspended' ? 'reinstate' : status === 'expired' ? 'renew' : 'reapply',
    slots: [],
    ocsp: options.ocsp ?? OCSP_OK,
    disagreement: false,
    message: { key, params: {} },
  };
  return { verdict, guidance: options.guidance ?? [], registry: { cardNumber: 'TP03130708163649', certificates: [] } };
}

export const RESULTS = {
  A: () => result('A', 'valid'),
  'B-1': () => result('B-1', 'valid'),
  revoked: () => result('C', 'revoked'),
  suspended: () => result('C', 'suspended'),
  expired: () => result('C', 'expired'),
};
