/**
 * doctor for the failures people have with real cards (issue 12 item 3), each with what to do in both
 * languages: a fake /sys tree with and without the CASTLES EZ100PU; a loopback HTTP server answering like the
 * HiPKI Local Server (and one that is absent, one that floods, one that stalls); the PKCS#11 module found in
 * the install places with SoftHSM2 standing in for it; pcscd installed but not running or socket-activated.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLsusb, scanSysfs, scanUsb } from '../../source/doctor/usb.js';
import { socketState, usbLine } from '../../source/doctor/pcsc.js';
import { hipkiBase, probeHipki, tokensOf } from '../../source/doctor/hipki.js';
import { searchModule } from '../../source/doctor/module-search.js';
import { probePkcs11 } from '../../source/doctor/pkcs11.js';
import { t as doctorText } from '../../source/i18n/t.js';
import '../../source/i18n/doctor.js';
import type { DoctorLine } from '../../source/doctor/types.js';
import { doctorTextReport } from '../../source/doctor/report.js';
import type { CardInfo } from '../../source/card/types.js';
import { SOFTHSM_MODULE, initToken, makeTokenDir } from '../card/pkcs11/softhsm.js';
import { spawnCli } from '../e2e/harness.js';

const temps: string[] = [];
after(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });
const temp = (prefix: string) => { const d = mkdtempSync(join(tmpdir(), prefix)); temps.push(d); return d; };

/** A /sys with the given devices: { name: { idVendor, idProduct, product?, interfaceClass? } }. */
function fakeSys(devices: Record<string, { idVendor: string; idProduct: string; product?: string; interfaceClass?: string }>): string {
  const root = temp('moica-sys-');
  const dir = join(root, 'bus', 'usb', 'devices');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(dir, 'usb1'));
  writeFileSync(join(dir, 'usb1', 'idVendor'), '1d6b\n'); // the root hub: not a reader
  writeFileSync(join(dir, 'usb1', 'idProduct'), '0002\n');
  for (const [name, d] of Object.entries(devices)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'idVendor'), `${d.idVendor}\n`);
    writeFileSync(join(dir, name, 'idProduct'), `${d.idProduct}\n`);
    if (d.product) writeFileSync(join(dir, name, 'product'), `${d.product}\n`);
    if (d.interfaceClass) {
      mkdirSync(join(dir, `${name}:1.0`));
      writeFileSync(join(dir, `${name}:1.0`, 'bInterfaceClass'), `${d.interfaceClass}\n`);
    }
  }
  return root;
}

const EZ100PU = { idVendor: '0ca6', idProduct: '0010', product: 'EZUSB PC/SC Smart Card Reader' };
const MOUSE = { idVendor: '046d', idProduct: 'c077', product: 'USB Optical Mouse', interfaceClass: '03' };
const CCID_READER = { idVendor: '1a2b', idProduct: '3c4d', product: 'Some CCID Reader', interfaceClass: '0b' };

const both = (line: DoctorLine) => (['en', 'zh-TW'] as const).map((lang) => ({
  summary: doctorText(lang, line.summary.key, line.summary.params),
  next: line.next ? doctorText(lang, line.next.key, line.next.params) : '',
}));

test('USB: an EZ100PU that PC/SC does not list is named, with the driver to install, in both languages (✖, exit class 3)', async () => {
  const root = fakeSys({ '1-1': EZ100PU, '1-2': MOUSE });
  const scan = await scanUsb({ MOICA_SYSFS_ROOT: root });
  assert.equal(scan.source, 'sysfs');
  assert.deepEqual(scan.readers.map((r) => [r.id, r.name, r.ccid]), [['0ca6:0010', 'CASTLES EZ100PU', false]], 'the mouse and the hub are no readers');
  const line = usbLine(scan, []);
  assert.equal(line.status, 'fail');
  assert.equal(line.exitClass, 3);
  const [en, zh] = both(line);
  assert.match(en!.summary, /CASTLES EZ100PU \(USB 0ca6:0010\) is plugged in, but PC\/SC does not list it/);
  assert.match(en!.next, /not a CCID reader.*driver for the EZ100PU.*restart pcscd/);
  assert.match(zh!.summary, /EZ100PU.*缺少驅動程式/);
  assert.match(zh!.next, /驅動程式.*pcscd/);
  // With its driver, PC/SC lists it under its name: all good.
  assert.equal(usbLine(scan, ['CASTLES EZ100PU 00 00']).status, 'ok');
  // A virtual reader does not stand for the EZ100PU.
  assert.equal(usbLine(scan, ['Virtual PCD 00 00']).status, 'fail');
});

test('USB: without the EZ100PU: no reader (skip), a CCID reader PC/SC misses (⚠ with libccid), a missing /sys (not checked)', async () => {
  assert.equal(usbLine(await scanUsb({ MOICA_SYSFS_ROOT: fakeSys({ '1-2': MOUSE }) }), []).summary.key, 'usb.none');
  const ccid = await scanUsb({ MOICA_SYSFS_ROOT: fakeSys({ '2-1': CCID_READER }) });
  assert.deepEqual(ccid.readers.map((r) => [r.id, r.why]), [['1a2b:3c4d', 'ccid-class']]);
  const missed = usbLine(ccid, []);
  assert.equal(missed.status, 'warn');
  assert.match(both(missed)[0]!.next, /libccid/);
  assert.equal(usbLine(ccid, ['Some CCID Reader 00 00']).status, 'ok');
  const none = await scanUsb({ MOICA_SYSFS_ROOT: join(temp('moica-nosys-'), 'nothing') });
  assert.equal(none.source, 'none', 'a test root never falls back to the machine\'s lsusb');
  assert.equal(usbLine(none, []).summary.key, 'usb.unchecked');
  assert.equal(scanSysfs('/nonexistent-root'), undefined);
  assert.deepEqual(parseLsusb('Bus 001 Device 004: ID 0ca6:0010 Castles Technology Co., Ltd EZUSB PC/SC Smart Card Reader\nBus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n').map((r) => r.name), ['CASTLES EZ100PU']);
});

test('the EZ100PU named by the built CLI\'s doctor, zh-TW and en, with PC/SC down (exit 3)', async () => {
  const root = fakeSys({ '1-1': EZ100PU });
  const env = { MOICA_SYSFS_ROOT: root, PCSCLITE_CSOCK_NAME: join(root, 'no-pcscd.comm'), MOICA_HIPKI_URL: 'http://127.0.0.1:9', HOME: temp('moica-home-'), MOICA_PKCS11_SEARCH_ROOT: temp('moica-root-') };
  for (const [lang, pattern] of [['en', /USB readers: A CASTLES EZ100PU \(USB 0ca6:0010\).*\n\s+→ The EZ100PU is not a CCID reader/], ['zh-TW', /USB 讀卡機: 已插上 CASTLES EZ100PU 讀卡機.*\n\s+→ EZ100PU 不是 CCID 讀卡機/]] as const) {
    const run = await spawnCli(['doctor', '--lang', lang, '--no-ocsp'], env);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, pattern);
  }
});

test('pcscd installed but not running: not socket-activated, or socket active but silent (systemctl\'s word, faked)', async () => {
  const dir = temp('moica-systemctl-');
  const fake = (word: string) => {
    const path = join(dir, `systemctl-${word}`);
    writeFileSync(path, `#!/bin/sh\necho ${word}\n[ "${word}" = active ]\n`);
    chmodSync(path, 0o755);
    return path;
  };
  assert.equal(await socketState(3000, { MOICA_SYSTEMCTL: fake('inactive') }), 'inactive');
  assert.equal(await socketState(3000, { MOICA_SYSTEMCTL: fake('active') }), 'active');
  assert.equal(await socketState(3000, { MOICA_SYSTEMCTL: join(dir, 'no-such-systemctl') }), 'unknown');
  const base = { PCSCLITE_CSOCK_NAME: join(dir, 'no-pcscd.comm'), MOICA_SYSFS_ROOT: fakeSys({}), MOICA_HIPKI_URL: 'http://127.0.0.1:9', HOME: temp('moica-home-'), MOICA_PKCS11_SEARCH_ROOT: temp('moica-root-') };
  const inactive = await spawnCli(['doctor', '--json', '--lang', 'en', '--no-ocsp'], { ...base, MOICA_SYSTEMCTL: fake('inactive') });
  assert.equal(inactive.code, 3, inactive.stdout + inactive.stderr);
  const pcsc = inactive.json.checks.find((c: any) => c.check === 'pcsc');
  assert.match(pcsc.message, /installed but not running, and not socket-activated \(pcscd.socket: inactive\)/);
  assert.match(pcsc.next, /systemctl enable --now pcscd.socket/);
  const silent = await spawnCli(['doctor', '--json', '--lang', 'zh-TW', '--no-ocsp'], { ...base, MOICA_SYSTEMCTL: fake('active') });
  const zh = silent.json.checks.find((c: any) => c.check === 'pcsc');
  assert.match(zh.message, /pcscd.socket 已啟用，但 pcscd .* 沒有回應/);
  assert.match(zh.next, /systemctl restart pcscd.socket pcscd/);
});

/** A loopback server playing the HiPKI Local Server (or something else on its port). */
async function server(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
  return { url, close: () => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }) };
}

const PKCS11INFO = {
  ret_code: 0,
  slots: [{ slotDescription: 'CASTLES EZ100PU 0', token: { label: 'HiCOS PKI Smart Card', serialNumber: 'GP0000000615421', flags: 1037,
    certs: [{ label: 'SIGN', subject: 'CN=張淑芬', serialNumber: '410D648A5422AE8BF219', certb64: 'MII…' }] } }],
};

test('HiPKI Local Server running: its version (GET /) and tokens (GET /pkcs11info), sanitised; what it means for rewriting', async () => {
  const requests: string[] = [];
  const hipki = await server((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/') res.end(JSON.stringify({ version: '1.3.4.103\u001b[31m' }));
    else if (req.url === '/pkcs11info?withcert=true') res.end(JSON.stringify(PKCS11INFO));
    else { res.statusCode = 404; res.end(); }
  });
  try {
    const line = await probeHipki(4000, { MOICA_HIPKI_URL: hipki.url });
    assert.equal(line.status, 'ok');
    assert.deepEqual(requests, ['GET /', 'GET /pkcs11info?withcert=true']);
    assert.equal(line.details.version, '1.3.4.103[31m', 'the escape byte is gone');
    assert.deepEqual(line.details.tokens, [{ label: 'HiCOS PKI Smart Card', serialNumber: 'GP0000000615421' }], 'the token, not its certificates');
    const [en, zh] = both(line);
    assert.match(en!.summary, /running at http:\/\/127\.0\.0\.1:\d+, version 1\.3\.4\.103.*HiCOS PKI Smart Card \(GP0000000615421\)/);
    assert.match(en!.next, /check-and-rewrite web page uses it\. moica-check does not need it.*close that page while moica-check rewrites/);
    assert.match(zh!.next, /重寫時請關閉該網頁/);
  } finally {
    await hipki.close();
  }
  // A plain-text version answer, and a token list in another shape.
  const text = await server((req, res) => res.end(req.url === '/' ? 'HiPKILocalSignServer 1.3.4\n' : JSON.stringify({ tokens: [{ label: 'X', serialNumber: 'TP03130708163649' }] })));
  try {
    const line = await probeHipki(4000, { MOICA_HIPKI_URL: text.url });
    assert.equal(line.details.version, 'HiPKILocalSignServer 1.3.4');
    assert.deepEqual(line.details.tokens, [{ label: 'X', serialNumber: 'TP03130708163649' }]);
  } finally {
    await text.close();
  }
  assert.equal(tokensOf(Buffer.from('not json')), null);
});

test('HiPKI Local Server absent, flooding, stalling, or pointed off the machine: bounded, and never a failure', async () => {
  const absent = await probeHipki(4000, { MOICA_HIPKI_URL: 'http://127.0.0.1:9' });
  assert.equal(absent.status, 'skip');
  assert.equal(absent.exitClass, undefined);
  const [en, zh] = both(absent);
  assert.match(en!.summary, /not running at http:\/\/127\.0\.0\.1:9/);
  assert.match(en!.next, /moica-check does not need it: reading and checking need PC\/SC only, rewriting needs the PKCS#11 module/);
  assert.match(zh!.next, /moica-check 不需要它/);

  const flood = await server((_req, res) => { res.write(Buffer.alloc(70 * 1024, 0x41)); res.end(); });
  const stall = await server((_req, res) => { res.writeHead(200); res.write('1.'); /* never ends */ });
  try {
    const big = await probeHipki(4000, { MOICA_HIPKI_URL: flood.url });
    assert.equal(big.status, 'warn');
    assert.match(String(big.details.error), /larger than 65536 bytes/);
    const t0 = performance.now();
    const slow = await probeHipki(600, { MOICA_HIPKI_URL: stall.url });
    assert.equal(slow.status, 'warn');
    assert.ok(performance.now() - t0 < 3000, 'bounded by the timeout');
  } finally {
    await flood.close();
    await stall.close();
  }
  assert.equal(hipkiBase({ MOICA_HIPKI_URL: 'http://192.0.2.1:61161' }), 'http://127.0.0.1:61161', 'loopback only');
  assert.equal(hipkiBase({}), 'http://127.0.0.1:61161');
});

const realCard: CardInfo = { reader: 'CASTLES EZ100PU 00 00', atr: '3BB813008131FA524348544D4F494341A5', generation: 1, virtual: false,
  number: 'GP0000000615421', certificates: [], caCertificates: [], consistent: true };

test('the PKCS#11 module: found in a HiPKILocalSignServer folder (SoftHSM2 standing in), loaded, its tokens listed without login', async () => {
  const home = temp('moica-home-');
  const root = temp('moica-root-');
  mkdirSync(join(home, 'HiPKILocalSignServer', 'lib'), { recursive: true });
  const modulePath = join(home, 'HiPKILocalSignServer', 'lib', 'libHicos_p11.so');
  symlinkSync(SOFTHSM_MODULE, modulePath);
  const env = { HOME: home, MOICA_PKCS11_SEARCH_ROOT: root };
  const search = searchModule('linux', env);
  assert.deepEqual(search.found, [modulePath]);
  assert.ok(search.searched.includes(join(root, '/usr/lib/libHicos_p11.so')));
  assert.ok(search.searched.includes(join(root, '/usr/local/lib/libHicos_p11.so')));
  assert.ok(search.searched.some((s) => s.startsWith(join(root, '/opt'))));

  const tokens = makeTokenDir();
  temps.push(tokens.dir);
  initToken(tokens.conf, 'GP0000000615421');
  process.env.SOFTHSM2_CONF = tokens.conf;
  const saved = { HOME: process.env.HOME, root: process.env.MOICA_PKCS11_SEARCH_ROOT };
  Object.assign(process.env, env);
  try {
    const line = await probePkcs11(undefined, realCard);
    assert.equal(line.status, 'warn', 'found but not configured: a real card cannot be rewritten until it is');
    assert.equal(line.summary.key, 'pkcs11.found');
    const listed = line.details.tokens as Array<{ label: string; cardNumber: string | null }>;
    assert.deepEqual(listed.map((t) => [t.label, t.cardNumber]), [['GP0000000615421', 'GP0000000615421']]);
    assert.equal(line.details.cardToken, true);
    const [en, zh] = both(line);
    assert.match(en!.summary, /found .*libHicos_p11\.so \(not configured\): it loads; tokens: GP0000000615421 \(/);
    assert.match(en!.next, /--pkcs11-module .*libHicos_p11\.so/);
    assert.match(zh!.summary, /找到 .*尚未設定/);
  } finally {
    process.env.HOME = saved.HOME;
    if (saved.root === undefined) delete process.env.MOICA_PKCS11_SEARCH_ROOT; else process.env.MOICA_PKCS11_SEARCH_ROOT = saved.root;
  }
});

test('the PKCS#11 module: found under /opt and in the macOS app bundle; not found says every place searched', async () => {
  const root = temp('moica-root-');
  mkdirSync(join(root, 'opt', 'HiPKILocalSignServer_linux', 'x64'), { recursive: true });
  writeFileSync(join(root, 'opt', 'HiPKILocalSignServer_linux', 'x64', 'libHicos_p11.so'), '');
  assert.deepEqual(searchModule('linux', { HOME: temp('moica-home-'), MOICA_PKCS11_SEARCH_ROOT: root }).found,
    [join(root, 'opt', 'HiPKILocalSignServer_linux', 'x64', 'libHicos_p11.so')]);
  const mac = temp('moica-mac-');
  const bundle = join(mac, 'Applications', 'HiPKILocalSignServer.app', 'Contents', 'Resources', 'lib');
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'libHicos_p11v1.dylib'), '');
  assert.deepEqual(searchModule('darwin', { HOME: temp('moica-home-'), MOICA_PKCS11_SEARCH_ROOT: mac }).found, [join(bundle, 'libHicos_p11v1.dylib')]);

  const empty = { HOME: temp('moica-home-'), MOICA_PKCS11_SEARCH_ROOT: temp('moica-root-') };
  const saved = { HOME: process.env.HOME, root: process.env.MOICA_PKCS11_SEARCH_ROOT };
  Object.assign(process.env, empty);
  try {
    const line = await probePkcs11(undefined, realCard);
    assert.equal(line.status, 'warn');
    assert.equal(line.summary.key, 'pkcs11.not-found-real');
    const [en, zh] = both(line);
    assert.match(en!.summary, /can be read and checked but not rewritten; searched: .*\/usr\/lib\/libHicos_p11\.so.*HiPKILocalSignServer/);
    assert.match(en!.next, /libHicos_p11v1\.dylib inside HiPKILocalSignServer\.app.*HiCOSPKCS11\.dll/);
    assert.match(zh!.summary, /已搜尋/);
    const text = doctorTextReport({ lines: [line], exitCode: 0 }, 'en', false);
    assert.match(text, /⚠ PKCS#11 module: Not found/);
  } finally {
    process.env.HOME = saved.HOME;
    if (saved.root === undefined) delete process.env.MOICA_PKCS11_SEARCH_ROOT; else process.env.MOICA_PKCS11_SEARCH_ROOT = saved.root;
  }
});
