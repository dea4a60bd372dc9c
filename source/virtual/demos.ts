/**
 * The named demo scenarios of cli.md (`--demo valid|rewrite|revoked|suspended|expired`), with the card
 * numbers and serials of the issuer's own manual where it gives them (圖八's expired card has the 13-digit
 * GP0000000615421, EF 0903 padded), plus `inconsistent` (a rewrite
 * interrupted after the body of slot 0 was written but before its CDF entry was).
 */
import { AREA, CERTIFICATE_AREA, FID, hex4 } from './layout.js';
import { buildScenario, type BuiltScenario, type ScenarioSpec } from './scenario.js';
import type { Tagging } from './pkcs15.js';
import type { CertificateCache } from './pki.js';
import { SCENARIOS as DEMO_NAMES, type ScenarioName as DemoName } from '../options.js';

/** The demos are the scenarios `--demo` takes (options.ts holds the one list, cli.md). */
export { SCENARIOS as DEMO_NAMES, type ScenarioName as DemoName } from '../options.js';
/** What the virtual card can be built as: the demos, plus `inconsistent` for tests and the rig. */
export type VirtualScenarioName = DemoName | 'inconsistent';
export const SCENARIO_NAMES: readonly VirtualScenarioName[] = [...DEMO_NAMES, 'inconsistent'];

/** Five years, as MOICA issues them (days). */
const FIVE_YEARS = 1826;
const THREE_YEARS = 1096;

const pair = (sign: string, keyx: string, notBefore: number, notAfter: number, extra: object = {}): ScenarioSpec['onCard'] => [
  { serialNumber: sign, notBefore, notAfter, ...extra },
  { serialNumber: keyx, notBefore, notAfter, ...extra },
];

/** A card renewed online 30 days before expiry; the new certificates were issued but never written. */
const renewed = (): Pick<ScenarioSpec, 'onCard' | 'issued'> => {
  const oldStart = -(FIVE_YEARS - 30);
  return {
    onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', oldStart, 30),
    issued: [
      { serialNumber: '5E2A9C0B13D47F6688A1', notBefore: -2, notAfter: 30 + THREE_YEARS, renewedFrom: '3B7161C40F46488916A' },
      { serialNumber: '0C11E03D95AB2F40C37', notBefore: -2, notAfter: 30 + THREE_YEARS, renewedFrom: '69D8DCA6BECC064523' },
    ],
  };
};

export function scenarioSpec(name: VirtualScenarioName): ScenarioSpec {
  switch (name) {
    case 'valid':
      return { name, cardNumber: 'TP03130708163649', holderName: '王小明',
        onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400) };
    case 'rewrite':
    case 'inconsistent':
      return { name, cardNumber: 'TP03130708163649', holderName: '王小明', ...renewed() };
    case 'revoked':
      return { name, cardNumber: 'TP03110118038622', holderName: '陳美玲',
        onCard: pair('BC3587C88F47E73FAC23', '73FF4C633D5FADE167A6', -700, FIVE_YEARS - 700, { status: 'revoked' }) };
    case 'suspended':
      return { name, cardNumber: 'TP03140220064550', holderName: '林志強',
        onCard: pair('800063B6593F4FD861560', '74C123FF31404FD8C756', -900, FIVE_YEARS - 900, { status: 'suspended' }) };
    case 'expired':
      return { name, cardNumber: 'GP0000000615421', holderName: '張淑芬',
        onCard: pair('410D648A5422AE8BF219', 'AA0C0B6EB9F30B184069', -(FIVE_YEARS + 60), -60) };
  }
}

export function isScenarioName(name: string): name is VirtualScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

export interface DemoOptions {
  now?: Date;
  generation?: 1 | 2;
  tagging?: Tagging;
  ocspUrl?: string;
  /** The holders' CRL Distribution Points (tests point them at loopback servers). */
  crlUrls?: string[];
  pin?: string;
  /** Certificates built before (the demo's on-disk cache, virtual/demo-cache.ts). */
  cache?: CertificateCache;
}

export async function buildNamedScenario(name: VirtualScenarioName, options: DemoOptions = {}): Promise<BuiltScenario> {
  const spec: ScenarioSpec = { ...scenarioSpec(name) };
  if (options.generation) spec.generation = options.generation;
  if (options.tagging) spec.tagging = options.tagging;
  if (options.ocspUrl) spec.ocspUrl = options.ocspUrl;
  if (options.crlUrls) spec.crlUrls = options.crlUrls;
  if (options.pin) spec.pin = options.pin;
  const built = await buildScenario(spec, { ...(options.now ? { now: options.now } : {}), ...(options.cache ? { cache: options.cache } : {}) });
  if (name === 'inconsistent') {
    // the new SIGN certificate's body is in place, its CDF entry still names the old one
    const area = new Uint8Array(CERTIFICATE_AREA);
    area.set(built.issued[0].der);
    built.card.patchFile(`${hex4(FID.PKI_DF)}/${hex4(FID.CERTIFICATES)}`, AREA.SIGN * CERTIFICATE_AREA, area);
  }
  return built;
}
