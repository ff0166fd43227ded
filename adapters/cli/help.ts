// The command's help text, apart from the rest so `--help` answers without loading the resolver.
import { USAGE } from '../../src/messages/question.js';

export const HELP = `Usage: ${USAGE}
       mailsettings [--json] -        (one question per line on stdin, answers in the same order)

Options:
  --json    print the answer as one JSON object (one per line with -)
  --check   also test the recommended servers live (connect, TLS, certificate, logins offered)
  --debug   show what every source said, and stack traces
  --help    show this help

Exit codes: 0 answered, 2 not understood, 1 failed. With -: 0 when every line was answered,
2 when some lines were not understood, 1 when some failed.`;
