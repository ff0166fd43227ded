// The command's help text, apart from the rest so `--help` answers without loading the resolver.
import { USAGE } from '../../src/messages.js';

export const HELP = `Usage: ${USAGE} [check]
       mailsettings [--json] -        (one question per line on stdin)

Options:
  --json    print the answer as one JSON object (one per line with -)
  --check   also test the recommended servers live (connect, TLS, certificate, logins offered)
  --debug   show what every source said, and stack traces
  --help    show this help`;
