// The entry to `providers verify` for front ends: loads the dataset (the shipped one or a file) and the
// checker only when called, so nothing of either is loaded when the command line starts.
import type { VerifyOptions, VerifyReport } from './verify-providers.js';

export type { EntryCheck, ServerCheck, Verdict, VerifyReport } from './verify-providers.js';

export async function verifyProviderDataset(
  options: VerifyOptions & { datasetFile?: string },
): Promise<VerifyReport> {
  const [{ loadProviders }, { verifyProviders }] = await Promise.all([
    import('../resolve/providers/dataset.js'),
    import('./verify-providers.js'),
  ]);
  const { datasetFile, ...probe } = options;
  return verifyProviders(await loadProviders(datasetFile), probe);
}
