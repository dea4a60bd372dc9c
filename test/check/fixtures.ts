/** Builders for the check tests: a card, the registry's answer and an OCSP report, with overrides. */
import type { CardInfo, HolderCertificate } from '../../source/card/types.js';
import { VIRTUAL_ATR } from '../../source/card/layout.js';
import type { OcspAnswer, OcspReport, RegistryCard, RegistryCertificate } from '../../source/registry/types.js';

export const SERIAL0 = '3B7161C40F46488916A';
export const SERIAL1 = '69D8DCA6BECC064523';
export const OLD0 = '1A2B3C4D5E6F';
export const OLD1 = '7A8B9C0D1E2F';
export const NOT_BEFORE = new Date('2024-03-01T00:00:00Z');
export const NOT_AFTER = new Date('2029-03-01T00:00:00Z');
export const NOW = new Date('2026-06-01T00:00:00Z');

export function holder(slot: 0 | 1, serialNumber: string, over: Partial<HolderCertificate> = {}): HolderCertificate {
  return {
    slot,
    usage: slot === 0 ? 'signature' : 'encryption',
    keyId: slot === 0 ? 'SIGN' : 'KEYX',
    serialNumber,
    subject: 'C=TW, CN=王小明, serialNumber=0000000112831644',
    issuer: 'C=TW, O=行政院, OU=內政部憑證管理中心',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    consistent: true,
    ...over,
  };
}

export function card(serials: [string, string] = [SERIAL0, SERIAL1], over: Partial<CardInfo> = {}): CardInfo {
  const certificates = [holder(0, serials[0]), holder(1, serials[1])];
  return {
    reader: 'Virtual PCD 00 00',
    atr: VIRTUAL_ATR,
    generation: 1,
    virtual: true,
    number: 'TP03130708163649',
    certificates,
    caCertificates: [],
    consistent: certificates.every((c) => c.consistent),
    ...over,
  };
}

export function issued(slot: 0 | 1, over: Partial<RegistryCertificate> = {}): RegistryCertificate {
  return {
    slot,
    usage: slot === 0 ? 'signature' : 'encryption',
    serialNumber: slot === 0 ? SERIAL0 : SERIAL1,
    status: 'valid',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    renewedFrom: null,
    ...over,
  };
}

export function registry(over: [Partial<RegistryCertificate>?, Partial<RegistryCertificate>?] = []): RegistryCard {
  return { cardNumber: 'TP03130708163649', certificates: [issued(0, over[0]), issued(1, over[1])] };
}

export function ocsp(answers: Array<Partial<OcspAnswer>> | null, over: Partial<OcspReport> = {}): OcspReport {
  if (answers === null) return { checked: false, certificates: [], notCheckedReason: 'unreachable', ...over };
  const certificates = answers.map((a, i) => ({ serialNumber: i === 0 ? SERIAL0 : SERIAL1, status: 'good' as const, reason: null, ...a }));
  return { checked: true, certificates, ...over };
}

export const goodOcsp = (): OcspReport => ocsp([{}, {}]);
