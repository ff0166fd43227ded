// The XML library (fast-xml-parser) for the parts that read or write XML (autoconfig files, the set-up
// documents), loaded when one of them first needs it rather than at start-up: it is large, and most runs of the
// command line (an answer from the DNS sources or the hosting template, --help) never touch XML.
import { createRequire } from 'node:module';

type Library = typeof import('fast-xml-parser');
let library: Library | undefined;

/** fast-xml-parser's XMLParser, XMLBuilder and XMLValidator, loaded on the first call. */
export function xmlLibrary(): Library {
  library ??= createRequire(import.meta.url)('fast-xml-parser') as Library;
  return library;
}
