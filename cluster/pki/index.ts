export type { CertAndKey, SubjectAltNames } from './certificates';
export { adminGroups, adminUser, type EnsurePkiOptions, ensurePki, type Pki } from './ensurePki';
export { createJwtSigner, type JwtSigner } from './jwtSigner';
export { type Identity, identityFromPeerCertificate } from './peerIdentity';
export type { ServiceAccountKey } from './serviceAccountKey';
