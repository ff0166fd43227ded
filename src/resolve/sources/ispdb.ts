// The ISP database (Thunderbird's, or the operator's mirror) asked for the domain itself.
import { ok } from '../../model/result.js';
import { firstConfig, ispdbEntryUrl, type Source } from './source.js';

export const ispdb: Source<'ispdb'> = {
  name: 'ispdb',
  label: 'the ISP database',
  async lookup(context) {
    const result = await firstConfig(context, [
      { url: ispdbEntryUrl(context, context.domain), trusted: true },
    ]);
    if (!result.ok) return result;
    const { config } = result.value;
    const name = config.name ? ` (${config.name})` : '';
    return ok({ config, detail: `ISP database entry for ${context.domain}${name}` });
  },
};
