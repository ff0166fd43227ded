// Every source, best first: the first one that answers gives the answer. Adding a source means one module
// that describes itself (see source.ts) and one line here. The hosting template is not a source: it is what
// is left when none answers (template.ts).
//
// The project's provider dataset (providers) sits below the ISP database's entry for the domain itself, so a
// correct ISPDB entry is never overridden (the dataset does not repeat those), and above the MX guess, whose
// "MX host without its first label" finds stale or wrong ISPDB entries (a hosting company's MX under a
// consumer brand). An ISPDB entry the dataset marks as superseded is skipped by the ISPDB sources.
import { autoconfig } from './autoconfig.js';
import { hosted } from './hosted.js';
import { ispdb } from './ispdb.js';
import { mx } from './mx.js';
import { providers } from './providers.js';
import { srv } from './srv.js';

export const SOURCES = [hosted, autoconfig, srv, ispdb, providers, mx] as const;
export type SourceName = (typeof SOURCES)[number]['name'];
