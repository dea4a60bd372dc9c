import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GuidanceItem } from '../../source/check/types.js';
import { guidanceText, verdictText } from '../../source/i18n/screen.js';
import { FakeEngine } from './fake-engine.js';
import { OCSP_UNREACHABLE, RESULTS, result } from './fixtures.js';
import { assertContains } from './frames.js';
import { renderApp } from './render.js';

const READER = 'Virtual PCD 00 00';
const CASES = [
  { name: 'A', make: RESULTS.A, zh: '✔ 有效', en: '✔ valid' },
  { name: 'B-1', make: RESULTS['B-1'], zh: '⚠ 需重寫', en: '⚠ rewrite needed' },
  { name: 'C revoked', make: RESULTS.revoked, zh: '✖ 廢止', en: '✖ revoked' },
  { name: 'C suspended', make: RESULTS.suspended, zh: '✖ 停用', en: '✖ suspended' },
  { name: 'C expired', make: RESULTS.expired, zh: '✖ 已過期', en: '✖ expired' },
] as const;

function engineWith(answer: ReturnType<typeof RESULTS.A>): FakeEngine {
  const engine = new FakeEngine();
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = answer;
  return engine;
}

for (const c of CASES) {
  for (const lang of ['zh-TW', 'en'] as const) {
    test(`verdict ${c.name} (${lang}): glyph, status word, the sentence, card number and both serials; no keystroke needed`, async () => {
      const answer = c.make();
      const app = await renderApp({ engine: engineWith(answer), lang }, { columns: 60, rows: 60 });
      const frame = await app.waitFor((f) => f.includes(lang === 'zh-TW' ? c.zh : c.en), c.name);
      assertContains(frame, verdictText(lang, answer.verdict), 'verdict sentence');
      assertContains(frame, 'TP03130708163649', 'card number');
      assertContains(frame, '3B7161C40F46488916A', 'serial 0');
      assertContains(frame, '69D8DCA6BECC064523', 'serial 1');
      assertContains(frame, lang === 'zh-TW' ? '憑證序號0' : 'Serial0');
      assertContains(frame, lang === 'zh-TW' ? '簽章' : 'signature');
      assertContains(frame, lang === 'zh-TW' ? '加密' : 'encryption');
      assertContains(frame, `verdict${c.name.split(' ')[0]}`.replace('verdict', lang === 'zh-TW' ? '判定' : 'verdict'));
      app.unmount();
    });
  }
}

test('the seed texts of A and B-1 appear as the issuer wrote them (zh-TW)', async () => {
  const a = await renderApp({ engine: engineWith(RESULTS.A()), lang: 'zh-TW' }, { columns: 60, rows: 60 });
  assertContains(await a.waitFor((f) => f.includes('有效')), 'IC卡內容與憑證資料庫符合無需更新。憑證狀態為『有效』，可於應用服務正常使用。');
  a.unmount();
  const b = await renderApp({ engine: engineWith(RESULTS['B-1']()), lang: 'zh-TW' }, { columns: 60, rows: 60 });
  assertContains(await b.waitFor((f) => f.includes('判定 B-1')), '但IC卡內容與憑證資料庫不符合需進行憑證重寫。');
  b.unmount();
});

test('guidance items are shown; OCSP not checked is said in the status bar', async () => {
  const guidance: GuidanceItem[] = [
    { kind: 'reinstate' as const, key: 'guidance.reinstate', params: {} },
    { kind: 'helpline' as const, key: 'guidance.helpline', params: { phone: '0800-080-117' } },
  ];
  const answer = result('C', 'suspended', { ocsp: OCSP_UNREACHABLE, guidance });
  const app = await renderApp({ engine: engineWith(answer), lang: 'en' }, { columns: 60, rows: 60 });
  const frame = await app.waitFor((f) => f.includes('suspended'));
  for (const item of guidance) assertContains(frame, guidanceText('en', item), item.key);
  assert.match(frame, /OCSP not checked: unreachable/);
  app.unmount();
});

test('OCSP checked and the registry answering show ✔ in the status bar', async () => {
  const app = await renderApp({ engine: engineWith(RESULTS.A()), lang: 'en' }, { columns: 100, rows: 30 });
  const frame = await app.waitFor((f) => f.includes('✔ valid'));
  assert.match(frame, /OCSP ✔/);
  assert.match(frame, /Registry ✔/);
  app.unmount();
});

test('errors are shown in words with their code class: registry unreachable, not a MOICA card', async () => {
  const engine = engineWith(RESULTS.A());
  engine.checkAnswer = { error: 'registry-unreachable' };
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  const frame = await app.waitFor((f) => f.includes('✖ error'));
  assert.match(frame, /Registry unreachable/, 'the status bar in words');
  assert.ok(!frame.includes('registry-unreachable'), 'never the code');
  assertContains(frame, 'Check the network and the registry address (--registry), then press c to check again.', 'what to do next');
  app.unmount();

  const other = new FakeEngine();
  other.addReader(READER);
  other.insert(READER, { error: 'not-moica' });
  const app2 = await renderApp({ engine: other, lang: 'en' }, { columns: 100, rows: 30 });
  const frame2 = await app2.waitFor((f) => f.includes('not MOICA'));
  assert.match(frame2, /✖/);
  assert.equal(other.calls.filter((c) => c.method === 'check').length, 0, 'a card that could not be read is not checked');
  app2.unmount();
});
