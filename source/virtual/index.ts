/**
 * The virtual MOICA card: what other modules (demo, tests) import.
 *
 * This folder is an independent oracle of the card, built from ../shared/spec/moica-card.md (section 3),
 * not from the driver in source/card/. It therefore keeps its own spelling of the layout ON PURPOSE: the
 * ATR, the gen2 AID, the FIDs, the certificate areas, the chunk limits and the slot table are written
 * again here (layout.ts, card.ts, image.ts, pkcs15.ts, serial.ts) rather than imported from card/layout.ts,
 * so that a wrong fact in the driver is caught by a card that disagrees with it instead of copied into it.
 * Do not "deduplicate" them. Production code reaches this folder only through source/engine/demo.ts.
 */
export { VirtualCard, type CardReply } from './card.js';
export { CardFaults, CardStats } from './faults.js';
export { buildCardImage, type VirtualCardState, type CardContent } from './image.js';
export { InProcessTransport, VIRTUAL_READER } from './in-process.js';
export { VpcdCardClient } from './vpcd-client.js';
export { buildScenario, type BuiltScenario, type ScenarioSpec, type CertificateSpec } from './scenario.js';
export {
  buildNamedScenario, scenarioSpec, isScenarioName, DEMO_NAMES, SCENARIO_NAMES,
  type DemoName, type VirtualScenarioName, type DemoOptions,
} from './demos.js';
export { createTestPki, type TestPki, type IssuedCertificate, type CertificateAuthority } from './pki.js';
export type { OcspFixture, OcspEntry, OcspEntrySpec, CrlReason } from './ocsp-fixture.js';
export { pooledKeyMaterial, pooledKeyPair, withCryptoKeys, type KeyMaterial, type KeyPairMaterial } from './key-pool.js';
export { VIRTUAL_ATR, VIRTUAL_ATR_HEX, GEN2_AID, FID } from './layout.js';
