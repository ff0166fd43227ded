// The ISP database (Thunderbird's, or the operator's mirror) asked for the domain itself. An entry the
// project's dataset marks as superseded (stale) is left to the dataset.
import { fail, ok } from '../../model/result.js';
import { firstConfig, ispdbEntryUrl, type Source, supersededBy, withDatasetFixes } from './source.js';

export const ispdb: Source<'ispdb'> = {
  name: 'ispdb',
  label: 'the ISP database',
  async lookup(context) {
    const replaced = await supersededBy(context, context.domain);
    if (replaced)
      return fail(`the ISP database's entry for ${context.domain} is stale; ${replaced} replaces it`);
    const result = await firstConfig(context, [
      { url: ispdbEntryUrl(context, context.domain), trusted: true },
    ]);
    if (!result.ok) return result;
    const config = await withDatasetFixes(context, result.value.config, context.domain);
    const name = config.name ? ` (${config.name})` : '';
    return ok({ config, detail: `ISP database entry for ${context.domain}${name}` });
  },
};
