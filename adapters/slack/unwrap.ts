// Turns the text Slack delivers back into what the person typed. Slash commands (should_escape: true),
// mentions and direct messages all arrive in Slack's markup ("Formatting text for app surfaces"):
// `<mailto:a@x.com|a@x.com>`, `<http://x.com|x.com>`, `<@U123>`, `<#C123|name>`, `<!here>`, and `&`, `<`, `>`
// as `&amp;`, `&lt;`, `&gt;`. One left-to-right pass: no pattern here can rescan what it has passed.

/** Longer texts are refused before any work; Slack's markup at most about doubles a question of 1000. */
export const MAX_SLACK_TEXT = 4000;

// `[^<>]*` stops at the next `<`, so an unclosed `<` costs only the characters up to the next one.
const MARKUP = /<([^<>]*)>|&(amp|lt|gt);/g;
const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
/** What Slack's autolinker puts before what was typed: `example.com` becomes `http://example.com`. */
const ADDED_SCHEME = /^(?:mailto:|https?:\/\/)/i;

const decode = (text: string) => text.replace(ENTITY, (_entity, name: string) => ENTITIES[name] ?? '');

/**
 * The plain text: links unwrapped and entities decoded. User mentions (the bot's own included) are dropped
 * from a question; in a relayed message they are kept readable (`@name`, or the user id).
 */
export function unwrapSlackText(text: string, mentions: 'drop' | 'keep' = 'drop'): string {
  return text.replace(MARKUP, (_match, inside: string | undefined, entity: string | undefined) =>
    inside === undefined ? (ENTITIES[entity ?? ''] ?? '') : unwrapOne(inside, mentions),
  );
}

/** One `<…>`: a mention, a channel, a special word (`!here`, `!subteam^…`, `!date^…`) or a link. */
function unwrapOne(inside: string, mentions: 'drop' | 'keep'): string {
  const bar = inside.indexOf('|');
  const target = decode(bar === -1 ? inside : inside.slice(0, bar));
  const label = bar === -1 ? undefined : decode(inside.slice(bar + 1));
  if (target.startsWith('@')) return mentions === 'drop' ? ' ' : `@${label ?? target.slice(1)}`;
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
  if (label === undefined) return target;
  // `<http://example.com|example.com>` is what was typed; `<https://evil.test|example.com>` is a link whose
  // text says something else, and only its target is what it really is.
  return label.toLowerCase() === target.replace(ADDED_SCHEME, '').toLowerCase() ? label : target;
}
