/**
 * A throw-away certificate authority and server certificate for the kube-apiserver listener,
 * made at every start (kubectl sends a bearer token only over https).
 *
 * What Go's crypto/x509 (kubectl) insists on, and so what is set here: the CA has
 * basicConstraints CA:TRUE and keyUsage keyCertSign; the server certificate names its hosts in
 * subjectAltName (the Common Name is ignored), has extKeyUsage serverAuth and is not a CA.
 * EC P-256 keys through Node's webcrypto keep generation to a few milliseconds.
 */
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

export interface Certificates {
  /** PEM of the CA: the kubeconfig's certificate-authority-data, a client's `ca`. */
  caPem: string;
  /** PEM of the server certificate, signed by the CA. */
  certPem: string;
  /** PEM (PKCS#8) of the server's private key; never print it. */
  keyPem: string;
}

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Valid from a little in the past, so a client whose clock lags slightly still accepts it. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const VALIDITY_MS = 365 * 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export async function createCertificates(
  hosts: string[] = ['127.0.0.1', 'localhost'],
): Promise<Certificates> {
  if (hosts.length === 0) throw new Error('createCertificates needs at least one host name or IP address');
  const notBefore = new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_MS);
  const [caKeys, serverKeys] = await Promise.all([generateKeys(), generateKeys()]);

  const caName = 'CN=nodegroup-sandbox-ca,O=nodegroup-runbooks';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: caName,
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=kube-apiserver,O=nodegroup-runbooks',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((host) => ({ type: isIP(host) ? 'ip' : 'dns', value: host }) as const),
      ),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey));
  return { caPem: ca.toString('pem'), certPem: server.toString('pem'), keyPem: toPem('PRIVATE KEY', pkcs8) };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  // Extractable: the server key is exported for node:tls; the CA key is dropped after signing.
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
