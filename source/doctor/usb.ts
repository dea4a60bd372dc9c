/**
 * USB smart-card readers that are plugged in, whether or not PC/SC lists them: the helpdesk case "the
 * reader's light is on but moica-check sees no reader". Read from sysfs (`<root>/bus/usb/devices/*` with
 * idVendor, idProduct, product, and the interface class of each interface; root /sys, or MOICA_SYSFS_ROOT
 * for tests), else from `lsusb` when it is installed (and no test root is set).
 *
 * A device counts as a smart-card reader when one of its interfaces has class 0x0B (CCID), when the CCID
 * driver's Info.plist lists its vendor:product, or when it is in KNOWN_READERS. The CASTLES EZ100PU
 * (0ca6:0010, the reader in the issuer's manual) is not CCID: stock libccid does not list it, so on Linux it
 * needs Castles' own PC/SC driver (issuer-services.md §4).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitize } from '../text/sanitize.js';

export interface KnownReader {
  name: string;
  /** True when stock libccid drives it. */
  ccid: boolean;
  /** What to install when PC/SC does not list it. */
  driver: { en: string; 'zh-TW': string };
  /** How its PC/SC reader name starts when its driver serves it. */
  readerName: RegExp;
}

export const EZ100PU_ID = '0ca6:0010';

export const KNOWN_READERS: Readonly<Record<string, KnownReader>> = {
  [EZ100PU_ID]: {
    name: 'CASTLES EZ100PU',
    ccid: false,
    driver: {
      en: 'it is not a CCID reader, and stock libccid does not drive it: install Castles\' PC/SC driver for the EZ100PU '
        + '(the "EZ100PU / EZUSB" driver from castlestech.com, or the one the issuer links at moica.nat.gov.tw; on Linux '
        + 'its IFD handler goes under /usr/lib/pcsc/drivers), then restart pcscd (sudo systemctl restart pcscd); '
        + 'or use a CCID reader',
      'zh-TW': '此讀卡機不是 CCID 讀卡機，系統內建的 libccid 無法驅動：請安裝虎門科技（Castles）的 EZ100PU PC/SC 驅動程式'
        + '（castlestech.com 或內政部憑證管理中心 moica.nat.gov.tw 提供的下載；Linux 版的 IFD 驅動程式安裝於 '
        + '/usr/lib/pcsc/drivers），再重新啟動 pcscd（sudo systemctl restart pcscd）；或改用 CCID 讀卡機',
    },
    readerName: /EZ100PU|EZUSB|CASTLES/i,
  },
};

export interface UsbReader {
  /** vendor:product, lower-case hex. */
  id: string;
  name: string;
  /** Known to our table, the CCID class, or libccid's list. */
  why: 'known' | 'ccid-class' | 'ccid-list';
  /** Stock libccid drives it. */
  ccid: boolean;
}

export interface UsbScan {
  source: 'sysfs' | 'lsusb' | 'none';
  /** Where it looked (the sysfs directory, or "lsusb"). */
  searched: string;
  readers: UsbReader[];
}

const HEX4 = /^[0-9a-f]{4}$/;

function readText(path: string, max = 256): string | undefined {
  try {
    return readFileSync(path, 'latin1').slice(0, max).trim();
  } catch {
    return undefined;
  }
}

/** vendor:product pairs libccid lists (its Info.plist), with their friendly names. */
export function ccidList(plist = '/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist'): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(plist, 'utf8');
  } catch {
    return out;
  }
  const array = (key: string) => [...(new RegExp(`<key>${key}</key>\\s*<array>([\\s\\S]*?)</array>`).exec(text)?.[1] ?? '')
    .matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]!.trim());
  const vendors = array('ifdVendorID');
  const products = array('ifdProductID');
  const names = array('ifdFriendlyName');
  vendors.forEach((v, i) => {
    const id = `${v.replace(/^0x/i, '').toLowerCase().padStart(4, '0')}:${(products[i] ?? '').replace(/^0x/i, '').toLowerCase().padStart(4, '0')}`;
    out.set(id, names[i] ?? '');
  });
  return out;
}

function classify(id: string, product: string | undefined, ccidClass: boolean, ccid: Map<string, string>): UsbReader | undefined {
  const known = KNOWN_READERS[id];
  if (known) return { id, name: known.name, why: 'known', ccid: known.ccid };
  const listed = ccid.get(id);
  if (listed !== undefined) return { id, name: sanitize(product || listed || id), why: 'ccid-list', ccid: true };
  if (ccidClass) return { id, name: sanitize(product || id), why: 'ccid-class', ccid: true };
  return undefined;
}

/** Smart-card readers under `<root>/bus/usb/devices`, or undefined when that directory cannot be read. */
export function scanSysfs(root: string, ccid = ccidList()): UsbReader[] | undefined {
  const dir = join(root, 'bus', 'usb', 'devices');
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  const readers: UsbReader[] = [];
  for (const entry of entries.slice(0, 512)) {
    const vendor = readText(join(dir, entry, 'idVendor'))?.toLowerCase();
    const productId = readText(join(dir, entry, 'idProduct'))?.toLowerCase();
    if (!vendor || !productId || !HEX4.test(vendor) || !HEX4.test(productId)) continue;
    // Interfaces are siblings named "<device>:<config>.<n>" with bInterfaceClass.
    const ccidClass = entries.some((e) => e.startsWith(`${entry}:`) && readText(join(dir, e, 'bInterfaceClass'))?.toLowerCase() === '0b');
    const found = classify(`${vendor}:${productId}`, readText(join(dir, entry, 'product')), ccidClass, ccid);
    if (found && !readers.some((r) => r.id === found.id)) readers.push(found);
  }
  return readers;
}

/** `lsusb` lines "Bus 001 Device 004: ID 0ca6:0010 Castles Technology Co., Ltd EZUSB PC/SC Smart Card Reader". */
export function parseLsusb(text: string, ccid = ccidList()): UsbReader[] {
  const readers: UsbReader[] = [];
  for (const line of text.split('\n').slice(0, 512)) {
    const m = /\bID ([0-9a-f]{4}):([0-9a-f]{4})\s*(.*)$/i.exec(line);
    if (!m) continue;
    const id = `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`;
    const described = m[3] ?? '';
    const found = classify(id, described, /smart ?card/i.test(described), ccid);
    if (found && !readers.some((r) => r.id === found.id)) readers.push(found);
  }
  return readers;
}

function lsusb(timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('lsusb', [], { timeout: timeoutMs, maxBuffer: 256 * 1024 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

export async function scanUsb(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<UsbScan> {
  const root = env.MOICA_SYSFS_ROOT || '/sys';
  const fromSysfs = scanSysfs(root);
  if (fromSysfs !== undefined) return { source: 'sysfs', searched: join(root, 'bus', 'usb', 'devices'), readers: fromSysfs };
  if (!env.MOICA_SYSFS_ROOT) {
    const text = await lsusb(timeoutMs);
    if (text !== undefined) return { source: 'lsusb', searched: 'lsusb', readers: parseLsusb(text) };
  }
  return { source: 'none', searched: join(root, 'bus', 'usb', 'devices'), readers: [] };
}

/** The USB readers that no PC/SC reader name stands for. */
export function readersWithoutPcsc(scan: UsbScan, pcscNames: readonly string[]): UsbReader[] {
  return scan.readers.filter((r) => {
    const pattern = KNOWN_READERS[r.id]?.readerName;
    return !pcscNames.some((n) => (pattern ? pattern.test(n) : n.toLowerCase().includes(r.name.toLowerCase().slice(0, 12))));
  });
}
