// The one place that words what users are told when their question cannot be answered: every line says
// what was wrong and how to write it instead.

export const USAGE = 'mailsettings <domain or email address> [imap | pop | smtp | all] [check]';
const EXAMPLE = 'for example: example.com pop, or alice@example.com';

export type QueryProblemCode =
  | 'empty'
  | 'too-long'
  | 'option'
  | 'command'
  | 'extra-words'
  | 'space'
  | 'protocol'
  | 'at-signs'
  | 'empty-local'
  | 'address-characters'
  | 'no-domain'
  | 'characters'
  | 'name-length'
  | 'no-dot'
  | 'empty-label'
  | 'label-length'
  | 'hyphen'
  | 'ip-address'
  | 'comma'
  | 'no-such-domain';

export interface QueryProblem {
  code: QueryProblemCode;
  message: string;
}

/** Builds the user-facing line for a rejected question. `detail` is the offending text, shown quoted. */
export function queryProblem(code: QueryProblemCode, detail = '', suggestion = ''): QueryProblem {
  const shown = quote(detail);
  const messages: Record<QueryProblemCode, string> = {
    empty: `Give a domain or an email address, ${EXAMPLE}.`,
    'too-long': `That is too long for a domain. Give one domain or email address, ${EXAMPLE}.`,
    option: `${shown} is an option, not a domain. Give a domain or an email address, ${EXAMPLE}.`,
    command: `${shown} is not a command I know. Type /mailsettings followed by a domain, ${EXAMPLE}.`,
    'extra-words': `Unexpected ${shown} at the end. Give one domain and at most one protocol, ${EXAMPLE}.`,
    space: `${shown} has a space in it. A domain is one word, like example.com.`,
    protocol: `Unknown protocol ${shown}. Use imap, pop, smtp or all, ${EXAMPLE}.`,
    'at-signs': `${shown} has more than one @. An email address looks like alice@example.com.`,
    'empty-local': `${shown} has nothing before the @. An email address looks like alice@example.com.`,
    'address-characters': `${shown} has invisible or control characters before the @. Type the address again, like alice@example.com.`,
    'no-domain': `${shown} has no domain in it. Give a domain or an email address, ${EXAMPLE}.`,
    characters: `${shown} has characters a domain cannot have. Use letters, digits, hyphens and dots, like example.com.`,
    'name-length': `${shown} is longer than the 253 characters a domain may have.`,
    'no-dot': `${shown} has no dot. Give the whole domain, like example.com.`,
    'empty-label': `${shown} has an empty part between dots. Write it like mail.example.com.`,
    'label-length': `${shown} has a part longer than 63 characters, which no domain can have.`,
    'ip-address': `${shown} is an IP address. Give the domain the mail is for, like example.com.`,
    hyphen: `${shown} has a part that starts or ends with a hyphen, which no domain can have.`,
    comma: `${shown} has a comma where a dot goes. Did you mean ${suggestion}?`,
    // The resolver's own sentence (src/messages/answer.ts noSuchDomain), passed on as it is.
    'no-such-domain': detail,
  };
  return { code, message: messages[code] };
}

/** Quotes user text for a message, shortened so a hostile paste cannot flood the reply. */
function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `“${short}”`;
}
