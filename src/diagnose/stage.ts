// The diagnosis stage as one module, loaded when an error is first explained (load.ts): the catalogue is not
// part of every start-up, neither the bot's nor the command line's.

export { CAUSES, type Cause } from '../model/causes.js';
export { CATALOGUE } from './catalogue.js';
export { type Confirmation, confirmOnServers } from './confirm.js';
export { type Diagnosis, diagnoseError } from './diagnose.js';
export type { Entry, Phrase } from './entry.js';
export {
  type Explained,
  type ExplainInput,
  type ExplainProblem,
  type Explanation,
  explainDiagnosis,
  explainError,
  readExplainInput,
  wantsCheck,
} from './explain.js';
export { explainedToReply } from './explain-reply.js';
export { codesIn, type Match, matchError, normalize } from './match.js';
export { type Paste, type PasteProblem, readPaste } from './paste.js';
