// Throwaway certificate authority made with the openssl CLI, so TLS tests use real, verifiable certificates.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  /** PEM of the CA certificate (to pass as `ca` to TLS clients). */
  ca: string;
  /** A key+cert signed by the CA for these names (DNS: or, for IP literals, IP: subjectAltNames), valid now. */
  issue(names: string[], options?: IssueOptions): { key: string; cert: string };
  /** Working folder with the CA's key, database and every issued file; left in place for inspection. */
  dir: string;
}

export interface IssueOptions {
  /** Validity 2020-01-01 to 2020-01-02: long expired, so clients fail with CERT_HAS_EXPIRED. */
  expired?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA starts well before the expired leaves, so an expired leaf is the only thing wrong with its chain. */
const CA_START = '20190101000000Z';
const EXPIRED_START = '20200101000000Z';
const EXPIRED_END = '20200102000000Z';
/** Anything that would break the subject or extension syntax we hand to openssl. */
const UNSAFE_NAME = /[\s,/=\\"]/;

// `openssl ca` rather than `x509 -req`: OpenSSL 3.0's x509 cannot set a start date, and expired leaves need one.
const CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
rand_serial = yes
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
[ req_dn ]
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

export function createTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailsettings-pki-'));
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), CONFIG);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  const openssl = (...args: string[]): void => {
    // cwd keeps the config's relative paths inside this CA's own folder.
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };

  makeRequest(openssl, 'ca', 'mailsettings test CA');
  openssl(
    ...signArgs('ca', CA_START, formatTime(Date.now() + 3650 * DAY_MS)),
    ...['-selfsign', '-keyfile', 'ca.key', '-extensions', 'v3_ca'],
  );
  const ca = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');

  let issued = 0;
  return {
    ca,
    dir,
    issue(names, options = {}) {
      checkNames(names);
      const id = `leaf-${++issued}`;
      const [first = ''] = names;
      makeRequest(openssl, id, first.length <= 64 ? first : 'mailsettings test leaf');
      fs.writeFileSync(path.join(dir, `${id}.ext`), leafExtensions(names));
      // Backdated a day so a slightly lagging clock elsewhere in the test still sees it as valid.
      const [start, end] = options.expired
        ? [EXPIRED_START, EXPIRED_END]
        : [formatTime(Date.now() - DAY_MS), formatTime(Date.now() + 30 * DAY_MS)];
      openssl(...signArgs(id, start, end), '-extfile', `${id}.ext`);
      return {
        key: fs.readFileSync(path.join(dir, `${id}.key`), 'utf8'),
        cert: fs.readFileSync(path.join(dir, `${id}.pem`), 'utf8'),
      };
    },
  };
}

/** One call makes the EC P-256 key and its signing request: faster than RSA, and fine for node's TLS. */
function makeRequest(openssl: (...args: string[]) => void, id: string, commonName: string): void {
  openssl(
    ...['req', '-config', 'openssl.cnf', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    ...['-nodes', '-keyout', `${id}.key`, '-subj', `/CN=${commonName}`, '-out', `${id}.csr`],
  );
}

function signArgs(id: string, start: string, end: string): string[] {
  return [
    ...['ca', '-config', 'openssl.cnf', '-batch', '-notext', '-in', `${id}.csr`, '-out', `${id}.pem`],
    ...['-startdate', start, '-enddate', end],
  ];
}

function leafExtensions(names: string[]): string {
  const altNames = names.map((name) => (net.isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(', ');
  return [
    'basicConstraints = CA:FALSE',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    `subjectAltName = ${altNames}`,
    '',
  ].join('\n');
}

function checkNames(names: string[]): void {
  if (names.length === 0) throw new Error('a test certificate needs at least one name');
  const bad = names.find((name) => name === '' || UNSAFE_NAME.test(name));
  if (bad !== undefined) throw new Error(`unusable test certificate name: ${JSON.stringify(bad)}`);
}

/** openssl's GeneralizedTime form, YYYYMMDDHHMMSSZ, in UTC. */
function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
