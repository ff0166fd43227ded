// Set-up steps for phones and tablets, with each screen's own labels and the customer's values: the Mail
// app on iPhone and iPad (the ports are under Advanced), the Gmail app and Samsung Email on Android.
import type { Security } from '../model/settings.js';
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
import { LEAVE_EMPTY } from './guides-desktop.js';

/** Samsung Email calls implicit TLS "SSL" and STARTTLS "TLS". */
const SAMSUNG_SECURITY: Record<Security, string> = { tls: 'SSL', starttls: 'TLS', none: 'None' };

export function iphoneSteps(f: GuideFacts): GuideStep[] {
  const advanced = (server: GuideFacts['incoming'], signIn = true) => [
    value('Use SSL', switchFor(server.security)),
    value('Authentication', signIn ? 'Password' : 'None'),
    value('Server Port', server.port),
  ];
  return [
    step(
      'Open Settings and tap Apps, then Mail (on iOS 17 and earlier, tap Mail straight away). Tap Mail Accounts, then Add Account.',
    ),
    step(
      'Tap Other, then Add Mail Account. Fill in the following and tap Next:',
      value('Email', f.address),
      value('Password', f.password),
    ),
    step(
      `Tap ${f.protocol} at the top. Under Incoming Mail Server, fill in:`,
      value('Host Name', f.incoming.hostname),
      value('User Name', f.incomingUser),
      value('Password', f.password),
    ),
    step(
      'Under Outgoing Mail Server, fill in the following, then tap Next and Save:',
      value('Host Name', f.outgoing.hostname),
      ...(f.sendSignIn
        ? [value('User Name', f.outgoingUser), value('Password', f.password)]
        : [value('User Name', LEAVE_EMPTY), value('Password', LEAVE_EMPTY)]),
    ),
    step(
      'Check the incoming port: in Mail Accounts, tap the new account, then Account, then Advanced. Under Incoming Settings:',
      ...advanced(f.incoming),
    ),
    step(
      'Check the outgoing port: go back to Account, tap SMTP under Outgoing Mail Server, then the primary server. Set the following and tap Done:',
      ...advanced(f.outgoing, f.sendSignIn),
    ),
  ];
}

export function gmailSteps(f: GuideFacts): GuideStep[] {
  return [
    step('Open the Gmail app. Tap your profile picture (top right), then Add another account, then Other.'),
    step('Type your email address and tap Manual setup.', value('Email address', f.address)),
    step(
      'Choose the account type:',
      value('Account type', f.protocol === 'IMAP' ? 'Personal (IMAP)' : 'Personal (POP3)'),
    ),
    passwordStep(f, 'tap Next', value('Password', f.password)),
    step(
      'Under Incoming server settings, fill in the following and tap Next:',
      value('Username', f.incomingUser),
      value('Server', f.incoming.hostname),
      value('Port', f.incoming.port),
      value('Security type', SECURITY_NAMES[f.incoming.security]),
    ),
    step(
      'Under Outgoing server settings, fill in the following and tap Next:',
      ...(f.sendSignIn
        ? [value('Require sign-in', 'On'), value('Username', f.outgoingUser)]
        : [value('Require sign-in', 'Off')]),
      value('SMTP server', f.outgoing.hostname),
      value('Port', f.outgoing.port),
      value('Security type', SECURITY_NAMES[f.outgoing.security]),
    ),
    step(
      'Choose how often to check for mail, tap Next, type the name to show on your messages and tap Next.',
    ),
  ];
}

export function samsungSteps(f: GuideFacts): GuideStep[] {
  const server = `${f.protocol === 'IMAP' ? 'IMAP' : 'POP3'} server`;
  return [
    step('Open Samsung Email. Tap the menu (three lines), the settings gear, Add account, then Other.'),
    step(
      `Type your ${withPassword(f, 'email address')}, then tap Manual setup:`,
      value('Email address', f.address),
      value('Password', f.password),
    ),
    step(
      'Choose the account type:',
      value('Account type', `${f.protocol === 'IMAP' ? 'IMAP' : 'POP3'} account`),
    ),
    step(
      'Under Incoming server, fill in:',
      value('User name', f.incomingUser),
      value(server, f.incoming.hostname),
      value('Security type', SAMSUNG_SECURITY[f.incoming.security]),
      value('Port', f.incoming.port),
    ),
    step(
      'Under Outgoing server, fill in the following, then tap Sign in:',
      value('SMTP server', f.outgoing.hostname),
      value('Security type', SAMSUNG_SECURITY[f.outgoing.security]),
      value('Port', f.outgoing.port),
      ...(f.sendSignIn
        ? [value('Authentication required before sending emails', 'On'), value('User name', f.outgoingUser)]
        : [value('Authentication required before sending emails', 'Off')]),
    ),
  ];
}
