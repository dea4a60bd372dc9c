/**
 * `doctor` in order: PC/SC, readers, card, then the registry and OCSP at once, the clock, PKCS#11.
 *
 * Exit code (decided): 0 when every essential line passes, else the exit class of the FIRST failing
 * essential line in that order — 3 PC/SC (binding, service, readers, no card), 5 card (not MOICA, unreadable)
 * or PKCS#11 (configured module does not load), 4 registry (unreachable, invalid). OCSP and the clock are
 * shown (✖ / ⚠) but never change the exit code: OCSP trouble never withholds a verdict (cli.md). Warnings
 * (no registry configured, card unknown to the registry, an interrupted rewrite, no PKCS#11 module for a
 * real card) do not fail either: they are things to know, not things that stop a check.
 */
import type { Options } from '../options.js';
import type { CardSource } from '../card/open.js';
import { blocked, probeCard, probePcsc, readersLine, usbLine, type CardProbe } from './pcsc.js';
import { probeHipki } from './hipki.js';
import { scanUsb } from './usb.js';
import { clockLine, issuerLine, probeCrl, probeOcsp, probeRegistry } from './network.js';
import { probePkcs11 } from './pkcs11.js';
import type { DoctorLine, DoctorReport } from './types.js';

export function doctorExitCode(lines: readonly DoctorLine[]): number {
  return lines.find((l) => l.status === 'fail' && l.exitClass !== undefined)?.exitClass ?? 0;
}

export async function runDoctor(options: Options): Promise<DoctorReport> {
  const lines: DoctorLine[] = [];
  let source: CardSource | undefined;
  let demoNet: { url: string; ocspUrl: string; close(): Promise<void> } | undefined;
  try {
    if (options.demo !== undefined) {
      const { openSource } = await import('../engine/card-source.js');
      const demoSource = await openSource(options);
      source = demoSource;
      lines.push({ check: 'pcsc', status: 'skip', summary: { key: 'pcsc.demo' }, details: { demo: options.demo } });
      const { startDemoRegistry } = await import('../engine/demo-registry.js');
      demoNet = await startDemoRegistry(demoSource.demo!);
    } else {
      const pcsc = await probePcsc(options);
      lines.push(pcsc.line);
      source = pcsc.source;
    }
    // The responder as configured (registry/ocsp-url.ts), asked as is: doctor does not let the card's CA choose.
    const ocspUrl = (await import('../registry/ocsp-url.js')).ocspTarget(options.ocsp, demoNet?.ocspUrl).url;
    let card: CardProbe | undefined;
    // USB readers whatever PC/SC says (not in the demo: its reader is in-process): a reader PC/SC does not
    // list (the EZ100PU without its driver) is the case a helpdesk meets most.
    const usb = options.demo === undefined ? usbLine(await scanUsb(), source?.transport.readers().map((r) => r.name) ?? []) : undefined;
    if (source === undefined) {
      lines.push(blocked('readers', 'readers.blocked'));
      if (usb) lines.push(usb);
      lines.push(blocked('card', 'card.blocked'));
    } else {
      const readers = readersLine(source.transport.readers());
      lines.push(readers);
      if (usb) lines.push(usb);
      if (readers.status === 'fail') lines.push(blocked('card', 'card.blocked'));
      else {
        card = await probeCard(options, source, ocspUrl !== false);
        lines.push(card.line);
      }
    }
    const registryUrl = demoNet?.url ?? options.registry;
    const issuer = await issuerLine(card?.issuerDer);
    if (card?.info !== undefined) lines.push(issuer.line);
    const serial = card?.info?.certificates[0]?.serialNumber;
    const [registry, ocsp, crl] = await Promise.all([
      probeRegistry(registryUrl, card?.info?.number, options.timeoutMs),
      probeOcsp(ocspUrl, card?.issuerDer, serial, options.timeoutMs),
      probeCrl(issuer.crlUrl ? [issuer.crlUrl] : [], card?.issuerDer, serial, options.timeoutMs),
    ]);
    // Without a registry the statuses rest on OCSP/CRL: the advice must not point at a registry.
    if (registry.status === 'info' && ocsp.line.next !== undefined) ocsp.line.next = { key: 'ocsp.next.no-registry' };
    lines.push(registry, ocsp.line, crl, clockLine(ocsp.remoteTime));
    lines.push(await probePkcs11(options.pkcs11Module, card?.info));
    if (options.demo === undefined) lines.push(await probeHipki(options.timeoutMs));
  } finally {
    await demoNet?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
  }
  return { lines, exitCode: doctorExitCode(lines) };
}
