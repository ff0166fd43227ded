// How each source's report reads for staff. The resolver stops the sources ranked below the one that answers
// (their reports stay `pending`, at 0 ms): those were not needed, which is not the same as still running when
// the deadline came, and they are said apart.
import { notNeeded } from '../messages/answer.js';
import type { Answer, SourceReport } from './answer.js';
import { SOURCES } from './sources/ranked.js';

export type ReportStatus = SourceReport['status'] | 'not-needed';

export function reportStatus(report: SourceReport, answer: Answer): ReportStatus {
  if (report.status !== 'pending') return report.status;
  const rank = (name: string) => SOURCES.findIndex((source) => source.name === name);
  const winner = rank(answer.settings.source.kind);
  return winner >= 0 && rank(report.source) > winner ? 'not-needed' : 'pending';
}

/** Why a source that was not needed did not finish, in words. */
export function notNeededReason(answer: Answer): string {
  const { kind } = answer.settings.source;
  const winner = SOURCES.find((source) => source.name === kind);
  return notNeeded(winner?.label ?? kind, kind === 'profile');
}
