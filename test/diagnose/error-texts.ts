// Real error texts as people paste them, each with the cause it must be read as for a domain whose servers take
// a normal password (the hosting template). Collected from the programs' and servers' own messages: Microsoft's
// list of Internet mail error codes and Outlook's dialogs, Apple Mail and iOS alerts, Thunderbird's message
// strings, the Gmail app, Windows Mail; RFC 3463 / 4954 / 5530 / 2449 reply texts; Postfix, Dovecot, Exchange,
// Microsoft 365 and Gmail replies as they appear in bounces and logs; OpenSSL, Node, NSS, Python and curl.
// Host names, addresses and ids are replaced by example ones.
import type { MailSettings, Server } from '../../src/index.js';
import type { Cause } from '../../src/testing.js';

export interface ErrorText {
  text: string;
  cause: Cause;
  /** Who shows it. */
  from: string;
}

const outlook = (cause: Cause, text: string): ErrorText => ({ text, cause, from: 'Outlook' });
const apple = (cause: Cause, text: string): ErrorText => ({ text, cause, from: 'Apple Mail' });
const thunderbird = (cause: Cause, text: string): ErrorText => ({ text, cause, from: 'Thunderbird' });
const server = (cause: Cause, text: string, from: string): ErrorText => ({ text, cause, from });
const tls = (cause: Cause, text: string): ErrorText => ({ text, cause, from: 'TLS / network' });

export const ERROR_TEXTS: ErrorText[] = [
  // Outlook and Windows Live Mail
  outlook(
    'unreachable',
    "Sending reported error (0x800CCC0E): 'Outlook cannot connect to your outgoing (SMTP) e-mail server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP).'",
  ),
  outlook(
    'unreachable',
    "Receiving reported error (0x800CCC0F) : 'The connection to the server was interrupted. If this problem continues, contact your server administrator or Internet service provider (ISP).'",
  ),
  outlook(
    'unreachable',
    "Task 'mail.example.com - Sending' reported error (0x8004210B) : 'The operation timed out waiting for a response from the sending (SMTP) server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP).'",
  ),
  outlook(
    'unreachable',
    "Task 'alice@example.com - Receiving' reported error (0x8004210A) : 'The operation timed out waiting for a response from the receiving (POP) server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP).'",
  ),
  outlook(
    'unreachable',
    'Send test e-mail message: Outlook is unable to connect to your outgoing (SMTP) e-mail server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP). (0x80042109)',
  ),
  outlook(
    'unreachable',
    'Log onto incoming mail server (POP3): Outlook is unable to connect to your incoming (POP3) e-mail server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP).',
  ),
  outlook('host-not-found', "Receiving reported error (0x800CCC0D): 'Cannot locate server.'"),
  outlook(
    'host-not-found',
    "The server could not be found. (Account: 'alice@example.com', POP3 Server: 'mail.example.com', Error Number: 0x800ccc0d)",
  ),
  outlook(
    'encryption-mismatch',
    "Receiving reported error (0x800CCC1A) : 'Your server does not support the connection encryption type you have specified. Try changing the encryption method. Contact your mail server administrator or Internet service provider (ISP) for additional assistance.'",
  ),
  outlook(
    'encryption-mismatch',
    "Sending reported error (0x800CCC7D): 'Your outgoing (SMTP) server does not support SSL-secured connections. If you have been able to connect using SSL-secured connections in the past, contact your ISP or network administrator.'",
  ),
  outlook(
    'encryption-mismatch',
    'Send test e-mail message: None of the authentication methods supported by this client are supported by your server. (0x800CCC80)',
  ),
  outlook(
    'password',
    "Receiving reported error (0x800CCC92): 'Your e-mail server rejected your login. Verify your user name and password for this account in Account Settings. The server responded: -ERR [AUTH] Authentication failed.'",
  ),
  outlook(
    'password',
    'Log onto incoming mail server (POP3): Your e-mail server rejected your login. Verify your user name and password for this account in Account Settings.',
  ),
  outlook('password', "Receiving reported error (0x800CCC90): 'Your e-mail server rejected your login.'"),
  outlook(
    'password',
    "Task 'alice@example.com - Receiving' reported error (0x800CCCD1) : 'Your IMAP server rejected your login.'",
  ),
  outlook('modern-auth', "Receiving reported error (0x800CCC18): 'Logon attempt failed.'"),
  outlook(
    'certificate-name',
    'The server you are connected to is using a security certificate that cannot be verified. The target principal name is incorrect. Do you want to continue using this server?',
  ),
  outlook(
    'certificate-name',
    'Internet Security Warning: The name on the security certificate is invalid or does not match the name of the target site mail.example.com.',
  ),
  outlook(
    'certificate-expired',
    'The server you are connected to is using a security certificate that cannot be verified. The security certificate has expired or is not yet valid.',
  ),
  outlook(
    'certificate-untrusted',
    'The server you are connected to is using a security certificate that cannot be verified. The certificate chain was issued by an authority that is not trusted.',
  ),
  outlook(
    'certificate-untrusted',
    'The server you are connected to is using a security certificate that cannot be verified. A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.',
  ),
  outlook(
    'certificate-untrusted',
    'The server you are connected to is using a security certificate that cannot be verified. Do you want to continue using this server?',
  ),
  outlook(
    'certificate-untrusted',
    'The security certificate was issued by a company you have not chosen to trust. View the certificate to determine whether you want to trust the certifying authority.',
  ),
  outlook(
    'relay',
    "The message could not be sent because one of the recipients was rejected by the server. The rejected e-mail address was 'bob@example.net'. Subject 'Hello', Account: 'alice@example.com', Server: 'mail.example.com', Protocol: SMTP, Server Response: '550 not local host example.net, not a gateway', Port: 25, Secure(SSL): No, Server Error: 550, Error Number: 0x800CCC79",
  ),
  outlook(
    'relay',
    "The message could not be sent because one of the recipients was rejected by the server. The rejected e-mail address was 'bob@example.net'. Subject 'Hello', Account: 'alice@example.com', Server: 'mail.example.com', Protocol: SMTP, Server Response: '550 Access denied - Invalid HELO name (See RFC2821 4.1.1.1)', Port: 25, Secure(SSL): No, Server Error: 550, Error Number: 0x800CCC79",
  ),
  outlook(
    'recipient-unknown',
    "Sending reported error (0x800CCC79): 'One of the recipients was rejected by the server. The server responded: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table'",
  ),
  outlook(
    'relay',
    "Sending reported error (0x800CCC78): 'Unable to send the message. Please verify the e-mail address in your account properties. The server responded: 530 5.7.0 Authentication required'",
  ),
  outlook(
    'relay',
    "Sending reported error (0x800CCC78): 'Unable to send the message. Please verify the e-mail address in your account properties. The server responded: 553 sorry, that domain isn't in my list of allowed rcpthosts'",
  ),
  outlook(
    'sender-rejected',
    "Sending reported error (0x800CCC78): 'Unable to send the message. Please verify the e-mail address in your account properties.'",
  ),
  outlook('connection-limit', "Receiving reported error (0x800CCC0B): 'Server or maildrop is busy.'"),
  {
    from: 'Windows Live Mail',
    cause: 'unreachable',
    text: "The connection to the server has failed. Account: 'example.com', Server: 'mail.example.com', Protocol: SMTP, Port: 587, Secure(SSL): No, Socket Error: 10060, Error Number: 0x800CCC0E",
  },
  {
    from: 'Windows Live Mail',
    cause: 'host-not-found',
    text: "The host 'mail.exmaple.com' could not be found. Please verify that you have entered the server name correctly. Account: 'alice', Server: 'mail.exmaple.com', Protocol: POP3, Port: 110, Secure(SSL): No, Socket Error: 11001, Error Number: 0x800CCC0D",
  },
  // Windows Mail
  {
    from: 'Windows Mail',
    cause: 'password',
    text: "Something went wrong. We're sorry, but we weren't able to do that. Error code: 0x8019019a",
  },
  {
    from: 'Windows Mail',
    cause: 'password',
    text: 'Your example.com account settings are out-of-date. Fix account',
  },
  {
    from: 'Windows Mail',
    cause: 'unreachable',
    text: 'Something went wrong. We couldn’t connect to the server. Error code: 0x80072efd',
  },
  {
    from: 'Windows Mail',
    cause: 'host-not-found',
    text: 'Error code: 0x80072ee7. The server name or address could not be resolved.',
  },
  // Apple Mail on iPhone, iPad and Mac
  apple(
    'certificate-untrusted',
    'Cannot Verify Server Identity. The identity of “mail.example.com” cannot be verified by Mail. Review the certificate details to continue.',
  ),
  apple('certificate-untrusted', 'Mail can’t verify the identity of the server “mail.example.com”.'),
  apple(
    'certificate-untrusted',
    'The certificate for this server is invalid. You might be connecting to a server that is pretending to be “mail.example.com” which could put your confidential information at risk.',
  ),
  apple('password', 'Cannot Get Mail. The user name or password for “mail.example.com” is incorrect.'),
  apple('password', 'Cannot Send Mail. The user name or password for “smtp.example.com” is incorrect.'),
  apple('password', 'Unable to verify account name or password.'),
  apple(
    'password',
    'Trying to log in to this IMAP account failed. Verify that the username and password are correct.',
  ),
  apple(
    'unreachable',
    'Cannot Get Mail. The mail server “mail.example.com” is not responding. Verify that you have entered the correct account info in Mail settings.',
  ),
  apple('unreachable', 'Cannot Get Mail. The connection to the server failed.'),
  apple(
    'unreachable',
    'Could not connect to this IMAP server. Check your network connection and that you entered the correct information in the Account preferences. Also verify that the server supports SSL.',
  ),
  apple(
    'relay',
    'Cannot Send Mail. A copy has been placed in your Outbox. The recipient “bob@example.net” was rejected by the server because it does not allow relaying.',
  ),
  apple('too-large', 'Cannot Send Mail. The message was rejected by the server because it is too large.'),
  apple(
    'sender-rejected',
    'Cannot Send Mail. The sender address “alice@example.org” was rejected by the server.',
  ),
  // Thunderbird
  thunderbird('password', 'Login to server mail.example.com with username alice@example.com failed.'),
  thunderbird(
    'password',
    "Sending of the message failed. Unable to authenticate to Outgoing server (SMTP) mail.example.com. Please check the password and verify the 'Authentication method' in 'Account Settings | Outgoing server (SMTP)'.",
  ),
  thunderbird(
    'unreachable',
    'Sending of the message failed. The message could not be sent because connecting to Outgoing server (SMTP) mail.example.com failed. The server may be unavailable or is refusing SMTP connections. Please verify that your Outgoing server (SMTP) settings are correct and try again.',
  ),
  thunderbird(
    'unreachable',
    'The message could not be sent because the connection to Outgoing server (SMTP) mail.example.com was lost in the middle of the transaction. Try sending the message again or contact your network administrator.',
  ),
  thunderbird('unreachable', 'Failed to connect to server mail.example.com.'),
  thunderbird('unreachable', 'Connection to server mail.example.com timed out.'),
  thunderbird(
    'host-not-found',
    'Sending of the message failed. The Outgoing server (SMTP) mail.exmaple.com could not be found. Please verify that your Outgoing server (SMTP) settings are correct and try again.',
  ),
  thunderbird(
    'too-large',
    'The size of the message you are trying to send exceeds the global size limit (10485760 bytes) of the server. The message was not sent; reduce the message size and try again.',
  ),
  thunderbird(
    'connection-limit',
    'Unable to connect to your IMAP server. You may have exceeded the maximum number of connections to this server. If so, use the Advanced IMAP Server Settings dialog to reduce the number of cached connections.',
  ),
  thunderbird(
    'modern-auth',
    "The IMAP server alice@example.com does not seem to support encrypted passwords. If you just set up the account, try changing the 'Authentication method' in 'Account Settings | Server settings' to 'Normal password'.",
  ),
  thunderbird(
    'modern-auth',
    "The Outgoing server (SMTP) mail.example.com does not support the selected authentication method. Please change the 'Authentication method' in 'Account Settings | Outgoing server (SMTP)'.",
  ),
  thunderbird(
    'certificate-name',
    'mail.example.com:993 uses an invalid security certificate. The certificate is only valid for server1.web-hosting.test. Error code: SSL_ERROR_BAD_CERT_DOMAIN',
  ),
  thunderbird(
    'certificate-expired',
    'The certificate expired on 1/2/2020, 12:00 AM. Error code: SEC_ERROR_EXPIRED_CERTIFICATE',
  ),
  thunderbird(
    'certificate-untrusted',
    'The certificate is not trusted because it is self-signed. Error code: MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT',
  ),
  thunderbird(
    'certificate-untrusted',
    'The certificate is not trusted because the issuer certificate is unknown. Error code: SEC_ERROR_UNKNOWN_ISSUER',
  ),
  thunderbird(
    'encryption-mismatch',
    'Secure Connection Failed. An error occurred during a connection to mail.example.com:143. SSL received a record that exceeded the maximum permissible length. Error code: SSL_ERROR_RX_RECORD_TOO_LONG',
  ),
  // The Gmail app on Android
  { from: 'Gmail app', cause: 'password', text: 'Couldn’t sign in. Username or password incorrect.' },
  { from: 'Gmail app', cause: 'unreachable', text: 'Couldn’t open connection to server.' },
  { from: 'Gmail app', cause: 'password', text: 'Authentication failed.' },
  // SMTP replies: Postfix
  server('password', '535 5.7.8 Error: authentication failed: authentication failure', 'Postfix'),
  server('password', '535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6', 'Postfix'),
  server('relay', '554 5.7.1 <bob@example.net>: Relay access denied', 'Postfix'),
  server('encryption-mismatch', '530 5.7.0 Must issue a STARTTLS command first', 'Postfix'),
  server('encryption-mismatch', '503 5.5.1 Error: authentication not enabled', 'Postfix'),
  server(
    'sender-rejected',
    '553 5.7.1 <info@example.org>: Sender address rejected: not owned by user alice@example.com',
    'Postfix',
  ),
  server(
    'recipient-unknown',
    '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    'Postfix',
  ),
  server('too-large', '552 5.3.4 Message size exceeds fixed limit', 'Postfix'),
  server(
    'connection-limit',
    '421 4.7.0 mail.example.com Error: too many connections from 203.0.113.5',
    'Postfix',
  ),
  server(
    'blocked',
    '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org',
    'Postfix',
  ),
  server('blocked', '450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]', 'Postfix'),
  server('quota', '552 5.2.2 <bob@example.com>: Recipient address rejected: Mailbox is full', 'Postfix'),
  server(
    'encryption-mismatch',
    '538 5.7.11 Encryption required for requested authentication mechanism',
    'RFC 4954',
  ),
  server('password', '535 5.7.8 Authentication credentials invalid', 'RFC 4954'),
  // Exchange and Microsoft 365
  server('password', '535 5.7.3 Authentication unsuccessful', 'Exchange'),
  server(
    'smtp-auth-off',
    '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server(
    'smtp-auth-off',
    '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server(
    'password',
    '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server(
    'modern-auth',
    '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server(
    'modern-auth',
    "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]",
    'Microsoft 365',
  ),
  server(
    'modern-auth',
    '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server(
    'sender-rejected',
    '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
    'Microsoft 365',
  ),
  server(
    'relay',
    '530 5.7.57 Client not authenticated to send mail. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]',
    'Microsoft 365',
  ),
  server('relay', '550 5.7.1 Unable to relay', 'Exchange'),
  server(
    'recipient-unknown',
    '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    'Microsoft 365',
  ),
  server(
    'recipient-unknown',
    '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT001.eop-EUR03.prod.protection.outlook.com]',
    'Microsoft 365',
  ),
  server(
    'blocked',
    '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.',
    'Microsoft 365',
  ),
  server(
    'blocked',
    '554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a permanent exception with message WASCL UserAction verdict is not None. Actual verdict is Suspend, ShowTierUpgrade.',
    'Microsoft 365',
  ),
  server(
    'quota',
    '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
    'Microsoft 365',
  ),
  server('too-large', '552 5.3.4 Message size exceeds fixed maximum message size', 'Exchange'),
  server('connection-limit', '451 4.7.0 Temporary server error. Please try again later. PRX4', 'Exchange'),
  server(
    'connection-limit',
    '432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded',
    'Microsoft 365',
  ),
  server('password', 'A1 NO LOGIN failed.', 'Microsoft 365 IMAP'),
  server('password', 'A1 NO AUTHENTICATE failed.', 'Microsoft 365 IMAP'),
  server('protocol-disabled', 'A1 NO User is authenticated but not connected.', 'Microsoft 365 IMAP'),
  // Gmail and Google Workspace
  server(
    'password',
    '535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials',
    'Gmail',
  ),
  server(
    'app-password',
    '534-5.7.9 Application-specific password required. For more information, go to 534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor',
    'Gmail',
  ),
  server(
    'app-password',
    '[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)',
    'Gmail IMAP',
  ),
  server(
    'web-login',
    '534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1> Please log in via your web browser and 534-5.7.14 then try again.',
    'Gmail',
  ),
  server(
    'web-login',
    '[ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)',
    'Gmail IMAP',
  ),
  server(
    'web-login',
    '-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754',
    'Gmail POP',
  ),
  server('password', '[AUTHENTICATIONFAILED] Invalid credentials (Failure)', 'Gmail IMAP'),
  server(
    'protocol-disabled',
    '[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)',
    'Gmail IMAP',
  ),
  server(
    'protocol-disabled',
    '-ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your Gmail settings page and enable your account for POP access.',
    'Gmail POP',
  ),
  server('connection-limit', '[ALERT] Too many simultaneous connections. (Failure)', 'Gmail IMAP'),
  server('connection-limit', '421-4.7.0 Try again later, closing connection. (EHLO)', 'Gmail'),
  server('connection-limit', '454 4.7.0 Too many login attempts, please try again later.', 'Gmail'),
  server('quota', '552-5.2.2 The email account that you tried to reach is over quota.', 'Gmail'),
  server(
    'recipient-unknown',
    "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
    'Gmail',
  ),
  server('too-large', "552-5.2.3 Your message exceeded Google's message size limits.", 'Gmail'),
  server(
    'blocked',
    '550-5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail.',
    'Gmail',
  ),
  server(
    'relay',
    '530-5.7.0 Authentication Required. For more information, go to https://support.google.com/mail/?p=WantAuthError',
    'Gmail',
  ),
  // IMAP and POP3: Dovecot and the RFCs' response codes
  server('password', 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.', 'Dovecot'),
  server('password', '-ERR [AUTH] Authentication failed.', 'Dovecot POP3'),
  server(
    'encryption-mismatch',
    'a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
    'Dovecot',
  ),
  server(
    'encryption-mismatch',
    '* BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client did it anyway. If anyone was listening, the password was exposed.',
    'Dovecot',
  ),
  server(
    'encryption-mismatch',
    '-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
    'Dovecot POP3',
  ),
  server(
    'connection-limit',
    '* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)',
    'Dovecot',
  ),
  server('quota', 'a5 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)', 'Dovecot'),
  server(
    'unreachable',
    'a1 NO [UNAVAILABLE] Temporary authentication failure. [host1:2024-01-01 10:00:00]',
    'Dovecot',
  ),
  server('password', 'a1 NO [EXPIRED] That password has expired.', 'RFC 5530'),
  server('blocked', 'a1 NO [CONTACTADMIN] You must contact the sysadmin to log in.', 'RFC 5530'),
  server('connection-limit', '-ERR [IN-USE] Mailbox is locked by another POP3 session', 'RFC 2449'),
  // TLS and network: OpenSSL, Node, NSS, Python, curl
  tls('certificate-expired', 'Error: certificate has expired (CERT_HAS_EXPIRED)'),
  tls(
    'certificate-name',
    "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: mail.example.com. is not in the cert's altnames: DNS:server1.web-hosting.test",
  ),
  tls('certificate-untrusted', 'Error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)'),
  tls(
    'certificate-untrusted',
    'Error: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
  ),
  tls('certificate-untrusted', 'verify error:num=20:unable to get local issuer certificate'),
  tls(
    'encryption-mismatch',
    'Error: 40E7A8E8F17F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355: (ERR_SSL_WRONG_VERSION_NUMBER)',
  ),
  tls('encryption-mismatch', 'error:1408F10B:SSL routines:ssl3_get_record:wrong version number'),
  tls('encryption-mismatch', 'error:0A000102:SSL routines::unsupported protocol'),
  tls('encryption-mismatch', 'error:0A000410:SSL routines::sslv3 alert handshake failure'),
  tls('unreachable', 'Error: connect ECONNREFUSED 203.0.113.10:993'),
  tls('unreachable', 'Error: connect ETIMEDOUT 203.0.113.10:465'),
  tls('unreachable', 'Error: read ECONNRESET'),
  tls('host-not-found', 'Error: getaddrinfo ENOTFOUND mail.exmaple.com'),
  tls('host-not-found', 'Error: getaddrinfo EAI_AGAIN mail.example.com'),
  tls(
    'certificate-name',
    "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'mail.example.com'. (_ssl.c:1006)",
  ),
  tls(
    'certificate-expired',
    'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)',
  ),
  tls(
    'certificate-untrusted',
    'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)',
  ),
  tls(
    'certificate-untrusted',
    'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1129)',
  ),
  tls('certificate-untrusted', 'error:0A000086:SSL routines::certificate verify failed'),
  tls('encryption-mismatch', 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)'),
  tls('host-not-found', 'socket.gaierror: [Errno -2] Name or service not known'),
  tls('host-not-found', 'socket.gaierror: [Errno -3] Temporary failure in name resolution'),
  tls('unreachable', 'ConnectionRefusedError: [Errno 111] Connection refused'),
  tls('unreachable', 'OSError: [Errno 113] No route to host'),
  tls('host-not-found', 'curl: (6) Could not resolve host: mail.exmaple.com'),
  tls(
    'unreachable',
    'curl: (7) Failed to connect to mail.example.com port 993 after 3 ms: Connection refused',
  ),
  tls('certificate-expired', 'curl: (60) SSL certificate problem: certificate has expired'),
  tls(
    'certificate-name',
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'mail.example.com'",
  ),
  tls('password', 'curl: (67) Login denied'),
];

/** Not errors at all: what customers write instead of the message. Each must be `unknown`. */
export const NOT_ERRORS = [
  'my email is not working',
  'I cannot send emails since yesterday, please help',
  'Outlook keeps asking for my password',
  'hello?',
  'mail.example.com 993 SSL',
  'Error',
];

const serverOf = (type: Server['type'], hostname: string, authentication: string[]): Server => ({
  type,
  hostname,
  port: type === 'smtp' ? 465 : 993,
  security: 'tls',
  username: '%EMAILADDRESS%',
  authentication,
});

/** The answer for a domain whose servers sign in with `authentication` (the provider's own settings). */
export function settingsWith(host: string, authentication: string[]): MailSettings {
  return {
    query: { input: 'example.com', domain: 'example.com', protocol: 'all' },
    incoming: [serverOf('imap', `imap.${host}`, authentication)],
    outgoing: [serverOf('smtp', `smtp.${host}`, authentication)],
    source: { kind: 'default', detail: 'test' },
    notes: [],
  };
}
