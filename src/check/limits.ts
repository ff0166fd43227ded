// The live check's limits, kept apart from the check itself: the configuration and the answer text read them
// without loading the probes (and TLS with them), which only a check needs.

/** A mail program uses the first server of each kind and falls back to the next one at most. */
export const PAIRS_PER_TYPE = 2;
/** The whole check's default deadline, also the configuration's. */
export const CHECK_DEADLINE_MS = 8000;
