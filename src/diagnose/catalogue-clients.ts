// Catalogue entries for what mail programs say in their own words: Outlook and Windows Live Mail (the
// 0x800CCC.. and 0x80042.. codes of Microsoft's list of Internet mail errors), Windows Mail (WinINet codes),
// Apple Mail on the Mac, iPhone and iPad, Thunderbird, and the Gmail app on Android.
import type { Entry } from './entry.js';

const OUTLOOK: readonly Entry[] = [
  {
    id: 'outlook-cannot-find-server',
    cause: 'host-not-found',
    codes: ['0x800CCC0D'],
    phrases: ['cannot locate server', 'the server could not be found'],
  },
  {
    id: 'outlook-cannot-connect',
    cause: 'unreachable',
    codes: ['0x800CCC0E', '0x80042108', '0x80042109', '0x800CCC15'],
    phrases: ['cannot connect to server', 'connect to your incoming', 'connect to your outgoing'],
  },
  {
    id: 'outlook-connection-dropped',
    cause: 'unreachable',
    codes: ['0x800CCC0F'],
    phrases: [
      'the connection to the server was interrupted',
      'your server has unexpectedly terminated the connection',
    ],
  },
  {
    id: 'outlook-timed-out',
    cause: 'unreachable',
    codes: ['0x8004210A', '0x8004210B', '0x800CCC19'],
    phrases: ['the operation timed out waiting for a response from the'],
  },
  {
    id: 'outlook-encryption',
    cause: 'encryption-mismatch',
    codes: ['0x800CCC1A', '0x800CCC7D'],
    phrases: [
      'does not support the connection encryption type you have specified',
      'does not support ssl-secured connections',
      'unable to connect using ssl',
    ],
  },
  {
    id: 'outlook-no-common-login',
    cause: 'encryption-mismatch',
    codes: ['0x800CCC80'],
    phrases: ['none of the authentication methods supported by this client are supported by your server'],
    protocol: 'smtp',
  },
  {
    id: 'outlook-login-rejected',
    cause: 'password',
    codes: ['0x800CCC90', '0x800CCC91', '0x800CCC92', '0x800CCCD1', '0x800CCC16'],
    phrases: ['rejected your login', 'verify your user name and password for this account'],
    signIn: true,
  },
  {
    id: 'outlook-spa',
    cause: 'modern-auth',
    codes: ['0x800CCC18'],
    phrases: ['logon attempt failed', 'logon failed using secure password authentication'],
  },
  {
    id: 'outlook-certificate-name',
    cause: 'certificate-name',
    codes: ['0x800CCC01'],
    phrases: ['the target principal name is incorrect', 'does not match the name of the target site'],
  },
  {
    id: 'outlook-certificate-date',
    cause: 'certificate-expired',
    codes: ['0x800CCC02'],
    phrases: ['the security certificate has expired or is not yet valid'],
  },
  {
    id: 'outlook-certificate-authority',
    cause: 'certificate-untrusted',
    phrases: [
      'the certificate chain was issued by an authority that is not trusted',
      'issued by a company you have not chosen to trust',
      'terminated in a root certificate which is not trusted',
    ],
  },
  {
    id: 'outlook-certificate',
    cause: 'certificate-untrusted',
    phrases: ['using a security certificate that cannot be verified'],
    anyCertificate: true,
    wrapper: true,
  },
  { id: 'outlook-busy', cause: 'connection-limit', codes: ['0x800CCC0B'] },
  {
    id: 'outlook-sender-rejected',
    cause: 'sender-rejected',
    codes: ['0x800CCC78'],
    phrases: ['please verify the e-mail address in your account properties'],
    wrapper: true,
    protocol: 'smtp',
  },
  {
    id: 'outlook-recipients-rejected',
    cause: 'relay',
    codes: ['0x800CCC79'],
    phrases: ['one of the recipients was rejected by the server', 'server rejected one or more recipients'],
    wrapper: true,
    protocol: 'smtp',
  },
  {
    id: 'windows-socket-timeout',
    cause: 'unreachable',
    phrases: [
      ['socket error', '10060'],
      ['socket error', '10061'],
      ['socket error', '10053'],
      ['socket error', '10051'],
    ],
  },
  { id: 'windows-socket-host', cause: 'host-not-found', phrases: [['socket error', '11001']] },
];

const WINDOWS_MAIL: readonly Entry[] = [
  { id: 'windows-mail-sign-in', cause: 'password', codes: ['0x8019019A'], signIn: true },
  {
    id: 'windows-mail-out-of-date',
    cause: 'password',
    phrases: ['account settings are out-of-date'],
    signIn: true,
  },
  { id: 'windows-mail-cannot-connect', cause: 'unreachable', codes: ['0x80072EFD', '0x80072EE2'] },
  { id: 'windows-mail-name', cause: 'host-not-found', codes: ['0x80072EE7'] },
];

const APPLE: readonly Entry[] = [
  {
    id: 'apple-server-identity',
    cause: 'certificate-untrusted',
    phrases: [
      'cannot verify server identity',
      "can't verify the identity of the server",
      'the certificate for this server is invalid',
      ['the identity of', 'cannot be verified'],
    ],
    anyCertificate: true,
  },
  {
    id: 'apple-password',
    cause: 'password',
    phrases: [
      ['the user name or password for', 'is incorrect'],
      'unable to verify account name or password',
      ['log in to this', 'account failed'],
    ],
    signIn: true,
  },
  {
    id: 'apple-not-responding',
    cause: 'unreachable',
    phrases: [
      ['the mail server', 'is not responding'],
      'the connection to the server failed',
      'could not connect to this',
    ],
  },
  { id: 'apple-relaying', cause: 'relay', phrases: ['does not allow relaying'], protocol: 'smtp' },
  {
    id: 'apple-too-large',
    cause: 'too-large',
    phrases: ['rejected by the server because it is too large'],
    protocol: 'smtp',
  },
  {
    id: 'apple-sender',
    cause: 'sender-rejected',
    phrases: [['the sender address', 'was rejected by the server']],
    protocol: 'smtp',
  },
];

const THUNDERBIRD: readonly Entry[] = [
  {
    id: 'thunderbird-login',
    cause: 'password',
    phrases: [['login to server', 'failed'], 'unable to authenticate to outgoing server'],
    signIn: true,
  },
  {
    id: 'thunderbird-smtp-connect',
    cause: 'unreachable',
    phrases: [
      'the server may be unavailable or is refusing smtp connections',
      'was lost in the middle of the transaction',
      ['connection to outgoing server', 'timed out'],
      'failed to connect to server',
      ['connection to server', 'timed out'],
    ],
  },
  {
    id: 'thunderbird-not-found',
    cause: 'host-not-found',
    phrases: [['outgoing server (smtp)', 'could not be found']],
    protocol: 'smtp',
  },
  {
    id: 'thunderbird-too-large',
    cause: 'too-large',
    phrases: ['the size of the message you are trying to send exceeds'],
    protocol: 'smtp',
  },
  {
    id: 'thunderbird-connections',
    cause: 'connection-limit',
    phrases: ['exceeded the maximum number of connections to this server'],
    protocol: 'imap',
  },
  {
    id: 'thunderbird-auth-method',
    cause: 'modern-auth',
    phrases: [
      'does not seem to support encrypted passwords',
      'does not support the selected authentication method',
    ],
  },
  {
    id: 'thunderbird-certificate-name',
    cause: 'certificate-name',
    codes: ['SSL_ERROR_BAD_CERT_DOMAIN'],
    phrases: ['the certificate is only valid for'],
  },
  {
    id: 'thunderbird-certificate-expired',
    cause: 'certificate-expired',
    codes: ['SEC_ERROR_EXPIRED_CERTIFICATE'],
    phrases: ['the certificate expired on'],
  },
  {
    id: 'thunderbird-certificate-untrusted',
    cause: 'certificate-untrusted',
    codes: ['SEC_ERROR_UNKNOWN_ISSUER', 'MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT', 'SEC_ERROR_UNTRUSTED_ISSUER'],
    phrases: ['because it is self-signed', 'the issuer certificate is unknown'],
  },
  {
    id: 'thunderbird-tls',
    cause: 'encryption-mismatch',
    codes: ['SSL_ERROR_RX_RECORD_TOO_LONG', 'SSL_ERROR_NO_CYPHER_OVERLAP', 'SSL_ERROR_UNSUPPORTED_VERSION'],
  },
];

const GMAIL_APP: readonly Entry[] = [
  {
    id: 'android-password',
    cause: 'password',
    phrases: [['username or password', 'incorrect']],
    signIn: true,
  },
  {
    id: 'android-connection',
    cause: 'unreachable',
    phrases: ["couldn't open connection to server", "can't open connection to server"],
  },
];

export const CLIENT_ENTRIES: readonly Entry[] = [
  ...OUTLOOK,
  ...WINDOWS_MAIL,
  ...APPLE,
  ...THUNDERBIRD,
  ...GMAIL_APP,
];
