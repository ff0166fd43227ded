// Every source, best first: the first one that answers gives the answer. Adding a source means one module
// that describes itself (see source.ts) and one line here. The hosting template is not a source: it is what
// is left when none answers (template.ts).
import { autoconfig } from './autoconfig.js';
import { hosted } from './hosted.js';
import { ispdb } from './ispdb.js';
import { mx } from './mx.js';
import { srv } from './srv.js';

export const SOURCES = [hosted, autoconfig, srv, ispdb, mx] as const;
export type SourceName = (typeof SOURCES)[number]['name'];
