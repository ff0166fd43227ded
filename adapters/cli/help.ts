// The command's help text, apart from the rest so `--help` answers without loading the resolver. The program
// names are written out here for that reason; a test checks them against the core's list (PROGRAMS).
import { USAGE } from '../../src/messages/question.js';

export const HELP = `Usage: ${USAGE} [program]
       mailsettings --profile apple|thunderbird <domain or email address> [imap | pop | all]
       mailsettings [--json] -        (one question per line on stdin, answers in the same order)
       mailsettings [--json] --explain "<error text>" <domain or email address> [imap | pop | smtp | all]
       mailsettings [--json] --explain - <domain or email address>   (the error text on stdin)
       mailsettings providers verify [--json]   (check the provider dataset's servers live)
       mailsettings cases report [--since 30d] [--csv | --json]   (the support report, from DATABASE_URL)
       mailsettings cases forget <customer id> --yes   (erase a customer's messages and identity)
       mailsettings cases export <customer id>   (what is kept about a customer, as JSON)

A program name at the end adds numbered set-up steps for it, with the values filled in
(mailsettings alice@example.com imap outlook):
  outlook        Outlook for Windows        outlook-mac    Outlook for Mac
  apple-mail     Apple Mail on a Mac        iphone         iPhone and iPad
  gmail          Gmail app on Android       samsung        Samsung Email
  thunderbird    Thunderbird                windows-mail   Windows Mail

Options:
  --json     print the answer as one JSON object (one per line with -); with a program, its steps
             are in "guide"
  --check    also test the recommended servers live (connect, TLS, certificate, logins offered)
  --profile apple
             print only an Apple configuration profile for the answer, for iPhone, iPad and Mac:
             mailsettings --profile apple alice@example.com > alice.mobileconfig
  --profile thunderbird
             print only the autoconfig document (config-v1.1.xml) Thunderbird reads
             (--profile works for one question, without --json, --check or a program name)
  --explain "<error text>"
             say what an error a mail program or server shows means for this domain, confirm it
             with a live check of its servers where the check can see the cause, and give the
             fix; then the settings. With --json the answer gains "diagnosis": { cause, confirmed,
             summary, fix }. The text is read only, never kept; a password in it is left out.
             mailsettings --explain "0x800CCC0E" alice@example.com smtp
  --debug    show what every source said, and stack traces
  --help     show this help

cases report: cases opened and resolved, first response and resolution times (p50, p90, in business
  hours), targets met, ratings, one-touch resolutions, per staff member, top domains, answer sources,
  failing checks and busiest hours, over the last --since days (30d by default); --csv for a spreadsheet.
  The customer id of forget and export is their Slack member id (U0123ABCD).

Exit codes: 0 answered, 2 not understood (or no profile possible for the answer), 1 failed.
With -: 0 when every line was answered, 2 when some lines were not understood, 1 when some failed.`;
