/**
 * The reference server's data (RegistryData, the `serve-registry --data FILE` format), checked once at
 * start: a bad file is the operator's mistake, so a clear 'usage' error (exit 2), never a 500 later.
 */
import { readFile } from 'node:fs/promises';
import { MoicaError } from '../../errors.js';
import { describeIssues, registryDataSchema } from '../schema.js';
import { tryNormaliseSerial } from '../../domain/serial.js';
import type { RegistryData } from '../types.js';

/** Validated, with every serial (list entries and certificate keys) upper-case hex without leading zeros. */
export function checkRegistryData(raw: unknown, source = 'the registry data'): RegistryData {
  const parsed = registryDataSchema.safeParse(raw);
  if (!parsed.success) throw new MoicaError('usage', `${source} is not valid: ${describeIssues(parsed.error)}`);
  const certificates: Record<string, string> = {};
  for (const [serial, base64] of Object.entries(parsed.data.certificates)) {
    const key = tryNormaliseSerial(serial);
    if (key === null) throw new MoicaError('usage', `${source} is not valid: certificates.${serial}: not a hexadecimal serial number`);
    const der = Buffer.from(base64, 'base64');
    if (der.length < 2 || der[0] !== 0x30) throw new MoicaError('usage', `${source} is not valid: certificates.${serial}: not a base64 DER certificate`);
    certificates[key] = base64;
  }
  return { cards: parsed.data.cards, certificates };
}

export async function loadRegistryData(path: string): Promise<RegistryData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MoicaError('usage', `Cannot read the registry data file ${path} (${(e as { code?: string }).code ?? 'error'}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MoicaError('usage', `The registry data file ${path} is not JSON.`);
  }
  return checkRegistryData(raw, `The registry data file ${path}`);
}
