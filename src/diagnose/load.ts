// Loads the diagnosis stage (stage.ts) on first use. A dynamic import, so bundles keep the catalogue in a chunk
// of its own that only explaining an error loads.
export type DiagnoseStage = typeof import('./stage.js');

let loading: Promise<DiagnoseStage> | undefined;

export function loadDiagnose(): Promise<DiagnoseStage> {
  loading ??= import('./stage.js');
  return loading;
}
