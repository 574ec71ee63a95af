/**
 * A throwaway CA and a serving certificate for 127.0.0.1 and localhost, for webhooks served
 * by a test process. node:crypto generates the keys; node-forge builds and signs the
 * certificates (node:crypto cannot issue X.509). Valid for a day.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface LoopbackCertificates {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

function key(): { readonly pem: string; readonly forgeKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { pem: privateKey, forgeKey: forge.pki.privateKeyFromPem(privateKey) };
}

function certificate(subject: string, publicOf: forge.pki.rsa.PrivateKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(publicOf.n, publicOf.e);
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  return cert;
}

export function issueLoopbackCertificates(): LoopbackCertificates {
  const caKey = key();
  const ca = certificate('kubeforge-testing-webhook-ca', caKey.forgeKey);
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKey.forgeKey, forge.md.sha256.create());
  const servingKey = key();
  const serving = certificate('127.0.0.1', servingKey.forgeKey);
  serving.setIssuer(ca.subject.attributes);
  serving.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  serving.sign(caKey.forgeKey, forge.md.sha256.create());
  return {
    ca: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(serving),
    key: servingKey.pem,
  };
}
