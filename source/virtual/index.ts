/** The virtual MOICA card: what other modules (demo, tests) import. */
export { VirtualCard, type CardReply } from './card.js';
export { CardFaults, CardStats } from './faults.js';
export { buildCardImage, type VirtualCardState, type CardContent } from './image.js';
export { InProcessTransport, VIRTUAL_READER } from './in-process.js';
export { VpcdCardClient } from './vpcd-client.js';
export { buildScenario, type BuiltScenario, type ScenarioSpec, type CertificateSpec } from './scenario.js';
export {
  buildNamedScenario, scenarioSpec, isScenarioName, DEMO_NAMES, SCENARIO_NAMES,
  type DemoName, type ScenarioName, type DemoOptions,
} from './demos.js';
export { createTestPki, type TestPki, type IssuedCertificate, type CertificateAuthority } from './pki.js';
export type { OcspFixture, OcspEntry, OcspEntrySpec, CrlReason } from './ocsp-fixture.js';
export { pooledKeyPair, type KeyPairMaterial } from './key-pool.js';
export { VIRTUAL_ATR, VIRTUAL_ATR_HEX, GEN2_AID, FID } from './layout.js';
