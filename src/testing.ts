// What tests (and benchmarks) need beyond the public API in src/index.ts: the case relay's moving parts, to
// drive its outbox and reminders by hand with a clock the test controls.

export { toView } from './cases/case-store.js';
export { assembleCases } from './cases/cases.js';
export { type CaseEvent, type CaseState, decide } from './cases/lifecycle.js';
