// Catalogue entries for what servers and libraries say: SMTP replies by their enhanced status codes (RFC 3463,
// RFC 4954, the IANA registry of RFC 5248) with the words Postfix, Exchange, Microsoft 365 and Gmail put after
// them; IMAP and POP3 response codes (RFC 5530, RFC 2449, RFC 3206) with Dovecot's and Gmail's words; and the
// TLS and network errors of OpenSSL, Node, NSS and curl.
import type { Entry } from './entry.js';

const SMTP: readonly Entry[] = [
  {
    id: 'smtp-credentials',
    cause: 'password',
    codes: ['5.7.8', '5.7.3'],
    phrases: [
      'username and password not accepted',
      'error: authentication failed',
      'authentication credentials invalid',
      'authentication unsuccessful',
    ],
    signIn: true,
    protocol: 'smtp',
  },
  {
    id: 'm365-credentials',
    cause: 'password',
    codes: ['5.7.139'],
    phrases: ['the user credentials were incorrect'],
    signIn: true,
    protocol: 'smtp',
  },
  {
    id: 'm365-basic-auth-off',
    cause: 'modern-auth',
    codes: ['5.7.139'],
    phrases: [
      'basic authentication is disabled',
      'security defaults policy',
      'did not meet the criteria to be authenticated successfully',
    ],
    protocol: 'smtp',
  },
  {
    id: 'm365-smtp-auth-off',
    cause: 'smtp-auth-off',
    codes: ['5.7.139'],
    phrases: ['smtpclientauthentication is disabled', 'smtp_auth_disabled', 'smtp auth is disabled'],
    protocol: 'smtp',
  },
  {
    id: 'app-password-required',
    cause: 'app-password',
    codes: ['5.7.9'],
    phrases: ['application-specific password required', 'app password required'],
  },
  {
    id: 'web-login-required',
    cause: 'web-login',
    codes: ['5.7.14', 'WEBALERT'],
    phrases: ['log in via your web browser', 'web login required'],
  },
  {
    id: 'smtp-relay',
    cause: 'relay',
    codes: ['5.7.57', '5.7.1'],
    phrases: [
      'relay access denied',
      'relaying denied',
      'relay not permitted',
      'unable to relay',
      'relaying not allowed',
      'authentication required',
      'client was not authenticated',
      'allowed rcpthosts',
      'not a gateway',
      // Postfix's "Sender address rejected: not logged in": the sender is fine, the client did not sign in.
      'not logged in',
    ],
    protocol: 'smtp',
  },
  {
    id: 'smtp-tls-first',
    cause: 'encryption-mismatch',
    codes: ['5.7.11'],
    phrases: [
      'must issue a starttls command first',
      'encryption required for requested authentication mechanism',
      'authentication not enabled',
      'starttls is required', // Exchange Online's 5.7.3, which otherwise reads as a refused sign-in
      'tls not available', // Postfix's 4.7.0 when its own TLS is broken: no connection limit
    ],
    protocol: 'smtp',
  },
  {
    id: 'smtp-sender',
    cause: 'sender-rejected',
    codes: ['5.1.7', '5.1.8', '5.7.60'],
    phrases: [
      'sender address rejected',
      'not owned by user',
      'does not have permissions to send as this sender',
      'sender verify failed',
    ],
    protocol: 'smtp',
  },
  {
    id: 'smtp-recipient',
    cause: 'recipient-unknown',
    codes: ['5.1.1', '5.1.10', '5.4.1'],
    phrases: ['user unknown', 'tried to reach does not exist', 'recipientnotfound', 'no such user'],
    protocol: 'smtp',
  },
  {
    id: 'smtp-size',
    cause: 'too-large',
    codes: ['5.3.4', '5.2.3'],
    phrases: ['message size exceeds', 'message size limits', 'message too big', 'exceeds size limit'],
    protocol: 'smtp',
  },
  {
    id: 'mailbox-full',
    cause: 'quota',
    codes: ['5.2.2', '4.2.2', 'OVERQUOTA'],
    phrases: ['quota exceeded', 'mailbox is full', 'mailbox full', 'over quota', 'over its quota'],
  },
  {
    id: 'smtp-blocked',
    cause: 'blocked',
    codes: ['5.7.606', '5.7.708', '5.7.511'],
    phrases: [
      'blocked using',
      'client host rejected',
      'likely unsolicited mail',
      'poor reputation',
      'traffic not accepted from this ip',
      'banned sending ip',
      'outboundspamexception',
      'rejected as spam',
      // A sender policy the receiving server checked (SPF, DMARC): the message, not the sign-in, was refused.
      'spf fail',
      'spf check failed',
      'sender policy framework',
      'dmarc policy',
      'unauthenticated email',
    ],
    protocol: 'smtp',
  },
  {
    id: 'too-many-connections',
    cause: 'connection-limit',
    codes: ['INUSE', 'IN-USE', 'LIMIT'],
    phrases: [
      'too many connections',
      'too many concurrent',
      'too many simultaneous connections',
      'maximum number of connections',
      'too many login attempts',
      'try again later, closing connection',
      'sender thread limit exceeded',
    ],
  },
  {
    id: 'smtp-temporary-security',
    cause: 'connection-limit',
    codes: ['4.7.0'],
    wrapper: true,
    protocol: 'smtp',
  },
];

const IMAP_POP: readonly Entry[] = [
  {
    id: 'imap-authentication-failed',
    cause: 'password',
    codes: ['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'AUTH'],
    phrases: [
      'authentication failed',
      'invalid credentials',
      'login failed',
      'authenticate failed',
      'login denied',
    ],
    signIn: true,
  },
  {
    id: 'imap-plaintext-refused',
    cause: 'encryption-mismatch',
    codes: ['PRIVACYREQUIRED'],
    phrases: ['plaintext authentication not allowed', 'plaintext authentication disallowed'],
  },
  {
    id: 'imap-pop-disabled',
    cause: 'protocol-disabled',
    phrases: [
      'not enabled for imap',
      'not enabled for pop',
      'user is authenticated but not connected',
      'imap access is disabled',
      'pop access is disabled',
    ],
  },
  { id: 'imap-unavailable', cause: 'unreachable', codes: ['UNAVAILABLE'] },
  { id: 'imap-contact-admin', cause: 'blocked', codes: ['CONTACTADMIN'] },
];

const TLS_AND_NETWORK: readonly Entry[] = [
  {
    id: 'tls-name',
    cause: 'certificate-name',
    codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
    phrases: [
      "does not match certificate's altnames",
      'hostname mismatch',
      'no alternative certificate subject name matches',
    ],
  },
  {
    id: 'tls-expired',
    cause: 'certificate-expired',
    codes: ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
    phrases: ['certificate has expired', 'certificate is not yet valid'],
  },
  {
    id: 'tls-untrusted',
    cause: 'certificate-untrusted',
    codes: [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    ],
    phrases: [
      'self-signed certificate',
      'self signed certificate',
      'unable to verify the first certificate',
      'unable to get local issuer certificate',
    ],
  },
  {
    id: 'tls-verify-failed',
    cause: 'certificate-untrusted',
    codes: ['CERTIFICATE_VERIFY_FAILED'],
    phrases: ['certificate verify failed'],
    anyCertificate: true,
    wrapper: true,
  },
  {
    id: 'tls-not-spoken',
    cause: 'encryption-mismatch',
    codes: [
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'ERR_SSL_PACKET_LENGTH_TOO_LONG',
      'ERR_SSL_UNSUPPORTED_PROTOCOL',
      'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      'WRONG_VERSION_NUMBER',
    ],
    phrases: [
      'wrong version number',
      'packet length too long',
      'unsupported protocol',
      'alert protocol version',
      'no shared cipher',
      'alert handshake failure',
      // .NET's SslStream ("Authentication failed because …"): a failed handshake, not a refused password.
      'remote party has closed the transport stream',
      'remote party sent a tls alert',
    ],
  },
  {
    id: 'net-refused',
    cause: 'unreachable',
    codes: ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'],
    phrases: [
      'connection refused',
      'connection timed out',
      'no route to host',
      'network is unreachable',
      'connection reset by peer',
      'failed to connect to',
    ],
  },
  {
    id: 'net-name',
    cause: 'host-not-found',
    codes: ['ENOTFOUND', 'EAI_AGAIN', 'ENODATA'],
    phrases: [
      'name or service not known',
      'nodename nor servname provided',
      'temporary failure in name resolution',
      'no such host is known',
      'could not resolve host',
    ],
  },
];

export const SERVER_ENTRIES: readonly Entry[] = [...SMTP, ...IMAP_POP, ...TLS_AND_NETWORK];
