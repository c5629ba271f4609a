// Issuing the cluster's ECDSA P-256 certificates with @peculiar/x509 on Node's WebCrypto. Pure
// functions over PEM strings; ensurePki.ts decides what to issue and stores the files.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import ipaddr from 'ipaddr.js';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const subtle = webcrypto.subtle as SubtleCrypto;

x509.cryptoProvider.set(webcrypto as Crypto);

const day = 24 * 60 * 60 * 1000;
/** Certificates start a little in the past so nodes whose clocks lag still accept them. */
const backdateMs = 5 * 60 * 1000;

export interface CertAndKey {
  cert: string;
  key: string;
}

export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('no PEM block in private key');
  return subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/** Canonical text of an IP address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
export function canonicalIp(ip: string): string {
  return ipaddr.process(ip).toString();
}

function subject(cn: string, orgs: string[] = []): x509.JsonName {
  return orgs.length > 0 ? [{ CN: [cn] }, { O: orgs }] : [{ CN: [cn] }];
}

export async function createCa(opts: { cn: string; now: Date; validityDays: number }): Promise<CertAndKey> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject(opts.cn),
    keys,
    notBefore: new Date(opts.now.getTime() - backdateMs),
    notAfter: new Date(opts.now.getTime() + opts.validityDays * day),
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

export interface IssueOptions {
  ca: CertAndKey;
  cn: string;
  orgs?: string[];
  usage: 'server' | 'client';
  /** Only for server certificates. */
  sans?: SubjectAltNames;
  now: Date;
  validityDays: number;
}

export async function issueCert(opts: IssueOptions): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(opts.ca.cert);
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([
      opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (opts.sans) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...opts.sans.dns.map((value) => ({ type: 'dns' as const, value })),
        ...opts.sans.ips.map((value) => ({ type: 'ip' as const, value: canonicalIp(value) })),
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    subject: subject(opts.cn, opts.orgs),
    issuer: caCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(opts.ca.key),
    notBefore: new Date(opts.now.getTime() - backdateMs),
    notAfter: new Date(opts.now.getTime() + opts.validityDays * day),
    signingAlgorithm: algorithm,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

export interface CertFacts {
  notAfter: Date;
  notBefore: Date;
  sans: SubjectAltNames;
  /** True when the CA's key signed this certificate. */
  signedBy(caCertPem: string): Promise<boolean>;
}

/** What ensurePki needs to know about a stored certificate to decide whether to reissue it. */
export function readCert(pem: string): CertFacts {
  const cert = new x509.X509Certificate(pem);
  const sanExt = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = sanExt ? sanExt.names.toJSON() : [];
  return {
    notAfter: cert.notAfter,
    notBefore: cert.notBefore,
    sans: {
      dns: names.filter((n) => n.type === 'dns').map((n) => n.value),
      ips: names.filter((n) => n.type === 'ip').map((n) => canonicalIp(n.value)),
    },
    signedBy: async (caCertPem) => {
      const ca = new x509.X509Certificate(caCertPem);
      return (
        cert.issuer === ca.subject && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))
      );
    },
  };
}
