/**
 * Certificates made at test time with node:crypto (P-256, ECDSA with SHA-256), for TLS stand-ins on
 * loopback: no key or certificate is kept in the repository, and no tool beyond Node is needed.
 * Only the few DER structures an X.509 v3 certificate needs are encoded here.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]): Buffer => tlv(0x30, ...content);

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift((v % 128) | (groups.length > 0 ? 0x80 : 0));
      if (v < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const name = (commonName: string): Buffer => sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));
const time = (date: Date): Buffer => tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, value: Buffer): Buffer => sequence(oid(id), tlv(0x04, value));

export interface Issued {
  readonly key: KeyObject;
  readonly name: string;
  /** PEM. */
  readonly cert: string;
}

let serial = 1;

/**
 * A certificate for `commonName`, signed by `issuer` (self-signed without one): a CA when `ca`, else a
 * server certificate for the loopback address 127.0.0.1.
 */
export function issue(commonName: string, options: { readonly issuer?: Issued; readonly ca: boolean }): Issued {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const extensions = options.ca
    ? extension('2.5.29.19', sequence(tlv(0x01, Buffer.from([0xff]))))
    : extension('2.5.29.17', sequence(tlv(0x87, Buffer.from([127, 0, 0, 1]))));
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([serial++])),
    ECDSA_SHA256,
    name(options.issuer?.name ?? commonName),
    sequence(time(new Date(now - 3_600_000)), time(new Date(now + 86_400_000))),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(extensions)),
  );
  const signature = sign('sha256', tbs, options.issuer?.key ?? privateKey);
  const der = sequence(tbs, ECDSA_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const base64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return { key: privateKey, name: commonName, cert: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n` };
}
