// Config-file text for the real Dovecot and Postfix instances the mail server tests start on 127.0.0.1.
// Everything is private to one temp dir; nothing here touches the system-wide configs or delivers mail.
import { createPrivateKey, X509Certificate } from 'node:crypto';

export interface DovecotOptions {
  /** This instance's own folder: run/ (base_dir), state/, dovecot.log. */
  dir: string;
  /** Folder (owned by the mail user) that holds each test user's home. */
  mailDir: string;
  /** PEM files for every TLS listener; without them the instance runs with `ssl = no` (no STARTTLS). */
  tls?: { certFile: string; keyFile: string; dhFile?: string };
  /** Listener ports; 0 (or absent) turns the listener off, overriding Dovecot's built-in 143/993/110/995. */
  ports: { imap: number; imaps?: number; pop3?: number; pop3s?: number };
  /** Where to put a Dovecot SASL socket for Postfix (user postfix, mode 0660). */
  authSocket?: string;
}

/** A whole dovecot.conf: no include of /etc/dovecot, static passdb (any user, password "secret"). */
export function dovecotConfig(options: DovecotOptions): string {
  const { dir, mailDir, tls, ports, authSocket } = options;
  const pop3 = (ports.pop3 ?? 0) > 0 || (ports.pop3s ?? 0) > 0;
  const ssl = tls
    ? [
        'ssl = yes',
        `ssl_cert = <${tls.certFile}`,
        `ssl_key = <${tls.keyFile}`,
        ...(tls.dhFile ? [`ssl_dh = <${tls.dhFile}`] : []),
      ]
    : ['ssl = no'];
  const listener = (name: string, port = 0, implicitTls = false): string =>
    `  inet_listener ${name} {\n    port = ${port}\n    ssl = ${implicitTls ? 'yes' : 'no'}\n  }`;
  return [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'listen = 127.0.0.1',
    // No stats service: otherwise, on shutdown, login processes wait 5s for a stats handshake that never comes.
    'stats_writer_socket_path =',
    `protocols = imap${pop3 ? ' pop3' : ''}`,
    ...ssl,
    'auth_mechanisms = plain login',
    'passdb {\n  driver = static\n  args = password=secret\n}',
    `userdb {\n  driver = static\n  args = uid=mail gid=mail home=${mailDir}/%u\n}`,
    'first_valid_uid = 1',
    'first_valid_gid = 1',
    'mail_location = maildir:~/Maildir',
    'service imap-login {',
    listener('imap', ports.imap),
    listener('imaps', ports.imaps, true),
    '}',
    'service pop3-login {',
    listener('pop3', ports.pop3),
    listener('pop3s', ports.pop3s, true),
    '}',
    ...(authSocket
      ? [
          'service auth {',
          `  unix_listener ${authSocket} {`,
          '    mode = 0660\n    user = postfix\n    group = postfix',
          '  }',
          '}',
        ]
      : []),
    '',
  ].join('\n');
}

export interface PostfixOptions {
  queueDir: string;
  dataDir: string;
  certFile: string;
  keyFile: string;
  /** Ports of the three smtpd listeners. */
  ports: { submissions: number; submission: number; smtpNoStarttls: number };
}

/** main.cf: TLS may (STARTTLS offered), AUTH only after TLS via Dovecot's socket, nothing ever delivered. */
export function postfixMainCf(options: PostfixOptions): string {
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${options.queueDir}`,
    `data_directory = ${options.dataDir}`,
    // No syslog here: postlogd writes to the start-fg process's stdout, which is a log file of ours.
    'maillog_file = /dev/stdout',
    'myhostname = mail.test',
    'mydomain = test',
    'myorigin = $myhostname',
    'mydestination =',
    'relay_domains =',
    'local_recipient_maps =',
    'alias_maps =',
    'alias_database =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    'biff = no',
    'smtpd_banner = $myhostname ESMTP',
    'smtpd_relay_restrictions = permit_sasl_authenticated, reject',
    // Whatever gets accepted is thrown away: these servers never deliver mail.
    'default_transport = discard',
    'relay_transport = discard',
    'local_transport = discard',
    `smtpd_tls_cert_file = ${options.certFile}`,
    `smtpd_tls_key_file = ${options.keyFile}`,
    'smtpd_tls_security_level = may',
    'smtpd_tls_auth_only = yes',
    'smtpd_sasl_auth_enable = yes',
    'smtpd_sasl_type = dovecot',
    // Relative to queue_directory: the Dovecot auth socket in the private dir.
    'smtpd_sasl_path = private/auth',
    '',
  ].join('\n');
}

/** The private dir for `smtpd_sasl_path`, as an absolute path for Dovecot's unix_listener. */
export function postfixAuthSocket(queueDir: string): string {
  return `${queueDir}/private/auth`;
}

/** master.cf: the three smtpd listeners on 127.0.0.1 plus the standard internal services, none chrooted. */
export function postfixMasterCf(ports: PostfixOptions['ports']): string {
  const smtpd = (port: number, ...overrides: string[]): string =>
    [`127.0.0.1:${port} inet n - n - - smtpd`, ...overrides.map((o) => `  -o ${o}`)].join('\n');
  return [
    smtpd(
      ports.submissions,
      'syslog_name=postfix/submissions',
      'smtpd_tls_wrappermode=yes',
      'smtpd_tls_security_level=encrypt',
    ),
    smtpd(ports.submission, 'syslog_name=postfix/submission', 'smtpd_tls_security_level=encrypt'),
    smtpd(ports.smtpNoStarttls, 'syslog_name=postfix/plain', 'smtpd_tls_security_level=none'),
    'pickup     unix  n - n 60 1 pickup',
    'cleanup    unix  n - n - 0 cleanup',
    'qmgr       unix  n - n 300 1 qmgr',
    'tlsmgr     unix  - - n 1000? 1 tlsmgr',
    'rewrite    unix  - - n - - trivial-rewrite',
    'bounce     unix  - - n - 0 bounce',
    'defer      unix  - - n - 0 bounce',
    'trace      unix  - - n - 0 bounce',
    'verify     unix  - - n - 1 verify',
    'flush      unix  n - n 1000? 0 flush',
    'proxymap   unix  - - n - - proxymap',
    'proxywrite unix  - - n - 1 proxymap',
    'smtp       unix  - - n - - smtp',
    'relay      unix  - - n - - smtp',
    'showq      unix  n - n - - showq',
    'error      unix  - - n - - error',
    'retry      unix  - - n - - error',
    'discard    unix  - - n - - discard',
    'anvil      unix  - - n - 1 anvil',
    'scache     unix  - - n - 1 scache',
    'postlog    unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
}

/** Fails early and clearly on a key+cert the daemons would only choke on at the first TLS handshake. */
export function checkKeyPair(tls: { key: string; cert: string }): void {
  let matches: boolean;
  try {
    matches = new X509Certificate(tls.cert).checkPrivateKey(createPrivateKey(tls.key));
  } catch (error) {
    throw new Error(`unusable TLS key or certificate for the mail servers: ${(error as Error).message}`);
  }
  if (!matches) throw new Error('the TLS key for the mail servers does not match the certificate');
}
