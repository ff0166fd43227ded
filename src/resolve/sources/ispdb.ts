// The ISP database (Thunderbird's, or the operator's mirror) asked for the domain itself.
import { firstConfig, ispdbEntryUrl, none, type SourceContext, type SourceResult } from './source.js';

export async function lookupIspdb(context: SourceContext): Promise<SourceResult> {
  const result = await firstConfig(context, [{ url: ispdbEntryUrl(context, context.domain), trusted: true }]);
  if ('reason' in result) return none(result.reason);
  const name = result.config.name ? ` (${result.config.name})` : '';
  return {
    status: 'found',
    found: {
      config: result.config,
      source: { kind: 'ispdb', detail: `ISP database entry for ${context.domain}${name}` },
    },
  };
}
