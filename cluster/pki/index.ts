export type { CertAndKey, SubjectAltNames } from './certificates';
export { adminGroups, adminUser, type EnsurePkiOptions, ensurePki, type Pki } from './ensurePki';
export { type Identity, identityFromPeerCertificate } from './peerIdentity';
