/**
 * certs: where the webhook server's certificate comes from — files mounted by cert-manager
 * (reloaded on change), or certificates the operator issues itself and keeps in a Secret,
 * rotated before expiry, with the CA bundle written into its webhook configurations and CRDs.
 */
export { checkPair, type CertificateSource, type ServingCertificate } from './source.ts';
export { fileCertificates, staticCertificates, type FileCertificateOptions } from './file-source.ts';
export {
  createCertificateAuthority,
  issueServingCertificate,
  type AuthorityOptions,
  type CertificateAuthority,
  type ServingOptions,
} from './authority.ts';
export { selfSignedCertificates, type SelfSignedCertificateOptions } from './self-signed.ts';
export { injectCaBundle, mergeBundles, type InjectionTargets } from './inject.ts';
