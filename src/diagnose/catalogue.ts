// The catalogue of errors people paste, as data: each entry names one cause and what recognises it. Kept as a
// typed table rather than a JSON or YAML file: the compiler checks every cause against the vocabulary, nothing
// has to be read or parsed at start-up, and the bundled command line needs no extra file. There is no logic
// here (what an entry is: entry.ts; matching: match.ts). docs/diagnose.md says how to add an entry.
import { CLIENT_ENTRIES } from './catalogue-clients.js';
import { SERVER_ENTRIES } from './catalogue-servers.js';
import type { Entry } from './entry.js';

export const CATALOGUE: readonly Entry[] = [...CLIENT_ENTRIES, ...SERVER_ENTRIES];
