/**
 * TLS material for the HTTPS listener. On first start a local CA and a server certificate
 * signed by it are made with node-forge (RSA keys from Node's native generator, which is far
 * faster than forge's) into the certificate directory: ca.pem, ca-key.pem, server.pem,
 * server-key.pem. SANs: localhost, 127.0.0.1, ::1 and the host name. Private keys are written
 * mode 0600. A user-supplied certificate and key (--cert/--key) are used as given.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Files the material came from (for the startup log). */
  certFile: string;
  generated: boolean;
}

/** Reads the user's files, or the generated ones (making them first when missing). */
export function loadOrCreateTls(opts: { certDir: string; certFile?: string; keyFile?: string; hostName?: string }): TlsMaterial {
  if (opts.certFile || opts.keyFile) {
    if (!opts.certFile || !opts.keyFile) throw new Error('--cert and --key go together');
    return { cert: fs.readFileSync(opts.certFile, 'utf8'), key: fs.readFileSync(opts.keyFile, 'utf8'), certFile: opts.certFile, generated: false };
  }
  const certFile = path.join(opts.certDir, 'server.pem');
  const keyFile = path.join(opts.certDir, 'server-key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), certFile, generated: false };
  }
  const made = makeCertificates(opts.hostName ?? os.hostname());
  fs.mkdirSync(opts.certDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(opts.certDir, 'ca.pem'), made.caCert);
  fs.writeFileSync(path.join(opts.certDir, 'ca-key.pem'), made.caKey, { mode: 0o600 });
  fs.writeFileSync(keyFile, made.key, { mode: 0o600 });
  fs.writeFileSync(certFile, made.cert);
  return { cert: made.cert, key: made.key, certFile, generated: true };
}

function rsaPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive
  return b.toString('hex');
}

/** A CA and a server certificate for the host (PEM texts). */
export function makeCertificates(hostName: string): { caCert: string; caKey: string; cert: string; key: string } {
  const now = new Date();
  const ca = rsaPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now.getTime() - 3600_000);
  caCert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);
  const caName = [{ name: 'commonName', value: `cimswitch local CA (${hostName})` }, { name: 'organizationName', value: 'cimswitch' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const srv = rsaPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = srv.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = caCert.validity.notBefore;
  cert.validity.notAfter = new Date(now.getTime() + 825 * 86400_000);
  cert.setSubject([{ name: 'commonName', value: hostName }, { name: 'organizationName', value: 'cimswitch' }]);
  cert.setIssuer(caName);
  const altNames: { type: number; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' },
  ];
  if (hostName && hostName !== 'localhost') altNames.push({ type: 2, value: hostName });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { caCert: forge.pki.certificateToPem(caCert), caKey: ca.pem, cert: forge.pki.certificateToPem(cert), key: srv.pem };
}
