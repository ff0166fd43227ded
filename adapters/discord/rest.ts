// How the bot's Discord REST clients send requests. discord.js's REST client (on undici 6) hands a message with
// files to the process's global undici Agent as a FormData object, to be encoded there. Loading undici 7 first
// (Bolt's Socket Mode brings it) makes that Agent undici 7's, which cannot encode another undici's FormData:
// every message with a file then fails with "action is not a function". So a multipart body is encoded here,
// and goes out as bytes whichever Agent the process has.
import { DefaultRestOptions, type RESTOptions } from 'discord.js';

const makeRequest: RESTOptions['makeRequest'] = async (url, init) => {
  if (!(init.body instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  const encoded = new Response(init.body);
  return DefaultRestOptions.makeRequest(url, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      'content-type': encoded.headers.get('content-type') ?? '',
    },
    body: Buffer.from(await encoded.arrayBuffer()),
  });
};

/** The REST options of every Discord client the bot makes: `api` for a proxy or a test server. */
export const restOptions = (api?: string): Partial<RESTOptions> => ({ makeRequest, ...(api ? { api } : {}) });
