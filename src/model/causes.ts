// The fixed vocabulary of causes a pasted error maps to (issue 20): every entry of the diagnosis catalogue
// names exactly one, and `unknown` is what anything unrecognised gets (never a guess).
export const CAUSES = [
  'password',
  'app-password',
  'modern-auth',
  'smtp-auth-off',
  'web-login',
  'protocol-disabled',
  'relay',
  'encryption-mismatch',
  'certificate-name',
  'certificate-expired',
  'certificate-untrusted',
  'host-not-found',
  'unreachable',
  'quota',
  'too-large',
  'sender-rejected',
  'recipient-unknown',
  'blocked',
  'connection-limit',
  'unknown',
] as const;
export type Cause = (typeof CAUSES)[number];

/** The causes a live check of the servers can see: their certificates, ports and encryption, names, reach. */
export const SEEN_BY_CHECK: readonly Cause[] = [
  'certificate-name',
  'certificate-expired',
  'certificate-untrusted',
  'encryption-mismatch',
  'unreachable',
  'host-not-found',
];

/**
 * The password causes: the check cannot see a password, but it can show that the server answers and offers
 * login over TLS, which leaves the password (or the kind of password) as what to fix.
 */
export const PASSWORD_CAUSES: readonly Cause[] = ['password', 'app-password', 'modern-auth'];
