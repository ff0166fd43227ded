// Escapes text for Discord's markdown (https://support.discord.com/hc/en-us/articles/210298617) so that text
// from customers and their autoconfig files shows as written: no formatting, no mention, no heading or list,
// and above all no masked link (`[Verify it at help.web-hosting.com](https://elsewhere)`), whose text can
// claim any address. Real URLs stay intact, so they still show and work as what they are. One pass, linear.
import { neutralizeText } from '../../src/index.js';

// A URL runs to whitespace or `<`, as Discord's own autolinker reads it: what it takes is one link showing its
// own address, so markup inside it is inert. Outside URLs every character that can start markup gets a
// backslash, `[` included, and list markers (`-`, `1.`) at the start of a line.
const MARKUP = /https?:\/\/[^\s<]+|[\\*_~`|[\]<>#]|^[ \t]*(?:-|\d+\.)(?=[ \t])/gm;

/** Bidi overrides and control characters go first (neutralizeText): they could make text read otherwise. */
export function escapeDiscordText(text: string): string {
  return neutralizeText(text).replace(MARKUP, (found) => {
    if (found.length === 1) return `\\${found}`;
    if (found.startsWith('http')) return found;
    // "- item" or "1. item": escape the marker's last character, which keeps the rest as typed.
    return `${found.slice(0, -1)}\\${found.at(-1)}`;
  });
}
