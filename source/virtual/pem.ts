/** PEM armour for DER (certificates and keys handed to openssl in tests). */
export function toPem(der: Uint8Array, label: 'CERTIFICATE' | 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  const base64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}
