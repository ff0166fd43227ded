// Set-up steps for the desktop mail programs, with each screen's own labels and the customer's values:
// Outlook for Windows (the account dialog with SPA and "My outgoing server requires authentication"),
// Outlook for Mac, Apple Mail on macOS, Thunderbird (its manual configuration screen) and Windows Mail.
import {
  type GuideFacts,
  type GuideStep,
  passwordStep,
  SECURITY_NAMES,
  step,
  switchFor,
  value,
  withPassword,
} from './guide-model.js';

const SPA = 'Require logon using Secure Password Authentication (SPA)';
/** Said where a provider's outgoing server takes mail without a sign-in (GuideFacts.sendSignIn). */
export const NO_SIGN_IN = 'your provider’s outgoing server takes mail without a sign-in';
export const LEAVE_EMPTY = 'Leave empty';

export function outlookSteps(f: GuideFacts): GuideStep[] {
  const serverValues = (server: GuideFacts['incoming']) => [
    value('Server', server.hostname),
    value('Port', server.port),
    value('Encryption method', SECURITY_NAMES[server.security]),
    value(SPA, 'Unchecked'),
  ];
  const sameUser = f.outgoingUser === f.incomingUser;
  return [
    step('Open Outlook and choose File, then Add Account.'),
    step(
      'Type your email address, choose Advanced options, tick “Let me set up my account manually” and choose Connect.',
      value('Email address', f.address),
    ),
    step(`Choose ${f.protocol}.`),
    step('Under Incoming mail, fill in:', ...serverValues(f.incoming)),
    step('Under Outgoing mail, fill in the following, then choose Next:', ...serverValues(f.outgoing)),
    passwordStep(f, 'choose Connect, then Done', value('Password', f.password)),
    step(
      'Make sure sending works: choose File, Account Settings, Account Settings…, select your account and choose Change. Check these, then choose More Settings:',
      value('User Name', f.incomingUser),
      value(SPA, 'Unchecked'),
    ),
    f.sendSignIn
      ? step(
          `On the Outgoing Server tab, tick “My outgoing server (SMTP) requires authentication” and choose ${sameUser ? '“Use same settings as my incoming mail server”' : '“Log on using”'}. Choose OK, Next, then Finish.`,
          value('My outgoing server (SMTP) requires authentication', 'Ticked'),
          sameUser
            ? value('Use same settings as my incoming mail server', 'Selected')
            : value('Log on using, User Name', f.outgoingUser),
        )
      : step(
          `On the Outgoing Server tab, leave “My outgoing server (SMTP) requires authentication” unticked: ${NO_SIGN_IN}. Choose OK, Next, then Finish.`,
          value('My outgoing server (SMTP) requires authentication', 'Not ticked'),
        ),
  ];
}

export function outlookMacSteps(f: GuideFacts): GuideStep[] {
  const prefix = f.protocol;
  return [
    step('Open Outlook and choose Outlook, then Settings, then Accounts. Choose + and then New Account.'),
    step('Type your email address and choose Continue.', value('Email address', f.address)),
    step('When Outlook asks for the provider, choose IMAP/POP.', value('Type', f.protocol)),
    step(
      'Fill in the incoming server:',
      value(`${prefix} Username`, f.incomingUser),
      value(`${prefix} Password`, f.password),
      value(`${prefix} Incoming Server`, f.incoming.hostname),
      value('Port', f.incoming.port),
      value('Use SSL to Connect', switchFor(f.incoming.security, 'Ticked', 'Not ticked')),
    ),
    step(
      'Fill in the outgoing server, then choose Add Account and Done:',
      ...(f.sendSignIn
        ? [value('SMTP Username', f.outgoingUser), value('SMTP Password', f.password)]
        : [value('SMTP Username', LEAVE_EMPTY), value('SMTP Password', LEAVE_EMPTY)]),
      value('SMTP Outgoing Server', f.outgoing.hostname),
      value('Port', f.outgoing.port),
      value('Use SSL to Connect', switchFor(f.outgoing.security, 'Ticked', 'Not ticked')),
    ),
  ];
}

export function appleMailSteps(f: GuideFacts): GuideStep[] {
  const portValues = (server: GuideFacts['incoming'], signIn = true) => [
    value('Port', server.port),
    value('Use TLS/SSL', switchFor(server.security, 'Ticked', 'Not ticked')),
    value('Authentication', signIn ? 'Password' : 'None'),
  ];
  return [
    step('Open Mail and choose Mail, then Add Account. Select “Other Mail Account…” and choose Continue.'),
    step(
      `Type your ${withPassword(f, 'name, email address')}, then choose Sign In:`,
      value('Email Address', f.address),
      value('Password', f.password),
    ),
    step(
      'When Mail asks for more details, fill in the following and choose Sign In:',
      value('User Name', f.incomingUser),
      value('Account Type', f.protocol),
      value('Incoming Mail Server', f.incoming.hostname),
      value('Outgoing Mail Server', f.outgoing.hostname),
    ),
    step(
      'Check the ports: choose Mail, Settings, Accounts, select the account and open Server Settings. Under Incoming Mail Server, untick “Automatically manage connection settings” and fill in:',
      ...portValues(f.incoming),
    ),
    step(
      'Under Outgoing Mail Server, untick “Automatically manage connection settings”, fill in the following and choose Save:',
      ...(f.outgoingUser === f.incomingUser || !f.sendSignIn ? [] : [value('User Name', f.outgoingUser)]),
      ...portValues(f.outgoing, f.sendSignIn),
    ),
  ];
}

export function thunderbirdSteps(f: GuideFacts): GuideStep[] {
  const method = (server: GuideFacts['incoming']) =>
    f.signIn === 'modern-only' || f.signIn === 'modern-or-app-password'
      ? 'OAuth2'
      : server.authentication.find((name) => name.startsWith('password')) === 'password-encrypted'
        ? 'Encrypted password'
        : 'Normal password';
  const serverValues = (server: GuideFacts['incoming'], user: string, signIn = true) => [
    value('Hostname', server.hostname),
    value('Port', server.port),
    value('Connection security', SECURITY_NAMES[server.security]),
    ...(signIn
      ? [value('Authentication method', method(server)), value('Username', user)]
      : [value('Authentication method', 'No authentication')]),
  ];
  return [
    step('Open Thunderbird. Choose the menu ≡, then Account Settings, Account Actions and Add Mail Account.'),
    step(
      `Type your ${withPassword(f, 'name, email address')}, then choose Continue:`,
      value('Email address', f.address),
      value('Password', f.password),
    ),
    step(
      'Choose “Configure manually” and fill in the incoming server:',
      value('Protocol', f.protocol === 'IMAP' ? 'IMAP' : 'POP3'),
      ...serverValues(f.incoming, f.incomingUser),
    ),
    step('Fill in the outgoing server:', ...serverValues(f.outgoing, f.outgoingUser, f.sendSignIn)),
    step('Choose Re-test, then Done.'),
  ];
}

export function windowsMailSteps(f: GuideFacts): GuideStep[] {
  const requireSsl = (server: GuideFacts['incoming']) => switchFor(server.security, 'Ticked', 'Not ticked');
  const sameUser = f.outgoingUser === f.incomingUser;
  return [
    step(
      'Open Mail. Choose Settings (the gear), Manage accounts and Add account, then Advanced setup and Internet email.',
    ),
    step(
      'Fill in:',
      value('Email address', f.address),
      value('User name', f.incomingUser),
      value('Password', f.password),
      value('Incoming email server', `${f.incoming.hostname}:${f.incoming.port}`),
      value('Account type', f.protocol === 'IMAP' ? 'IMAP4' : 'POP3'),
      value('Outgoing (SMTP) email server', `${f.outgoing.hostname}:${f.outgoing.port}`),
    ),
    step(
      'Set these boxes, then choose Sign in and Done:',
      value('Outgoing server requires authentication', f.sendSignIn ? 'Ticked' : 'Not ticked'),
      ...(f.sendSignIn
        ? [value('Use the same user name and password for sending email', sameUser ? 'Ticked' : 'Not ticked')]
        : []),
      value('Require SSL for incoming email', requireSsl(f.incoming)),
      value('Require SSL for outgoing email', requireSsl(f.outgoing)),
      ...(sameUser || !f.sendSignIn ? [] : [value('User name for sending', f.outgoingUser)]),
    ),
  ];
}
