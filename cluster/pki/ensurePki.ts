// The cluster's certificates and service account signing key on disk: created on first start,
// reused after, and the API server's serving certificate reissued when the wanted names change or
// it nears expiry (the CA is kept so kubeconfigs and node credentials stay valid).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicWrite';
import {
  type CertAndKey,
  canonicalIp,
  createCa,
  issueCert,
  readCert,
  type SubjectAltNames,
} from './certificates';
import { ensureServiceAccountKey, type ServiceAccountKey } from './serviceAccountKey';

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  /** Signs service account tokens (kept across restarts so issued tokens stay valid). */
  serviceAccountKey: ServiceAccountKey;
  /** Signs a new client certificate, e.g. CN `system:node:<name>`, O `system:nodes` for a node agent. */
  issueClientCert(cn: string, orgs: string[]): Promise<CertAndKey>;
}

export interface EnsurePkiOptions {
  serverSans: SubjectAltNames;
  now?: Date;
}

export const adminUser = 'kubedesk-admin';
export const adminGroups = ['system:masters'];

const caValidityDays = 3650;
const leafValidityDays = 365;
/** Leaf certificates are reissued once less than this much validity remains. */
const renewBeforeDays = 30;
const day = 24 * 60 * 60 * 1000;

const files = {
  ca: ['ca.crt', 'ca.key'],
  server: ['apiserver.crt', 'apiserver.key'],
  admin: ['admin.crt', 'admin.key'],
} as const;

async function load(
  dir: string,
  [certFile, keyFile]: readonly [string, string],
): Promise<CertAndKey | undefined> {
  try {
    return {
      cert: await readFile(join(dir, certFile), 'utf8'),
      key: await readFile(join(dir, keyFile), 'utf8'),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function store(
  dir: string,
  [certFile, keyFile]: readonly [string, string],
  pair: CertAndKey,
): Promise<void> {
  // Key first: a crash in between leaves a stale certificate, which the next start reissues.
  await writeFileAtomic(join(dir, keyFile), pair.key, 0o600);
  await writeFileAtomic(join(dir, certFile), pair.cert, 0o644);
}

const sameSet = (a: string[], b: string[]) => {
  const sa = [...new Set(a)].sort();
  const sb = [...new Set(b)].sort();
  return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
};

/** Whether a stored leaf certificate can be kept: signed by this CA, valid well beyond now, right names. */
async function reusable(pair: CertAndKey | undefined, ca: CertAndKey, now: Date, sans?: SubjectAltNames) {
  if (!pair) return false;
  try {
    const facts = readCert(pair.cert);
    if (facts.notAfter.getTime() - now.getTime() < renewBeforeDays * day) return false;
    if (facts.notBefore.getTime() > now.getTime()) return false;
    if (!(await facts.signedBy(ca.cert))) return false;
    if (sans && !(sameSet(facts.sans.dns, sans.dns) && sameSet(facts.sans.ips, sans.ips.map(canonicalIp)))) {
      return false;
    }
    return true;
  } catch {
    // An unreadable certificate is simply replaced.
    return false;
  }
}

/** Creates or loads the CA, the API server's serving certificate and the admin client certificate. */
export async function ensurePki(dir: string, opts: EnsurePkiOptions): Promise<Pki> {
  const now = opts.now ?? new Date();
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let ca = await load(dir, files.ca);
  // A CA past its end invalidates everything it signed; start over with a fresh one.
  if (!ca || readCert(ca.cert).notAfter <= now) {
    ca = await createCa({ cn: 'kubedesk-ca', now, validityDays: caValidityDays });
    await store(dir, files.ca, ca);
  }
  const caPair = ca;

  let server = await load(dir, files.server);
  if (!server || !(await reusable(server, caPair, now, opts.serverSans))) {
    server = await issueCert({
      ca: caPair,
      cn: 'kube-apiserver',
      usage: 'server',
      sans: opts.serverSans,
      now,
      validityDays: leafValidityDays,
    });
    await store(dir, files.server, server);
  }

  let admin = await load(dir, files.admin);
  if (!admin || !(await reusable(admin, caPair, now))) {
    admin = await issueCert({
      ca: caPair,
      cn: adminUser,
      orgs: adminGroups,
      usage: 'client',
      now,
      validityDays: leafValidityDays,
    });
    await store(dir, files.admin, admin);
  }

  const serviceAccountKey = await ensureServiceAccountKey(dir);

  return {
    caCert: caPair.cert,
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    serviceAccountKey,
    issueClientCert: (cn, orgs) =>
      issueCert({ ca: caPair, cn, orgs, usage: 'client', now: new Date(), validityDays: leafValidityDays }),
  };
}
