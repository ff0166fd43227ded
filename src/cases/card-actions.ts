// What staff do from a case card beyond replying: put a diagnosis on it (/mailsettings … error: in the post),
// check the servers again, and answer every open case that shares a failing check at once. Each case changes in
// its own transaction under its own key (the interaction's, with the case's id), so a retried interaction does
// nothing twice; what reaches each customer goes through the outbox into their own thread, and each post says
// what happened in it.
import type { Transaction } from 'kysely';
import pLimit from 'p-limit';
import type { Checker, CheckReport } from '../check/check.js';
import * as words from '../messages/case-card.js';
import { fail, ok, type Result } from '../model/result.js';
import type { CaseRow, Schema } from '../store/schema.js';
import { type CardContext, createCards } from './card.js';
import type { CaseStore } from './case-store.js';
import type { CaseEvent, Staff } from './lifecycle.js';
import type { CardDiagnosis, CaseView, StaffEvent } from './ports.js';
import { cardOf } from './recognise.js';
import { failuresOf, groupFailures } from './shared-cause.js';

/** cases.ts's act: records the key and lets the lifecycle decide the event on the case, held in one transaction. */
type Act<Problem = string> = (
  key: string | undefined,
  row: CaseRow | undefined,
  event: (tx: Transaction<Schema>, row: CaseRow) => Promise<CaseEvent | undefined> | CaseEvent,
) => Promise<Result<CaseView, Problem>>;

/**
 * A staff reply kept in the case's conversation and acted on (`from`: written in that post): the case, with the
 * reply's id, to ask later whether it reached the customer.
 */
export async function actOnReply<Problem>(
  act: Act<Problem>,
  { store, key, row }: { store: CaseStore; key: string | undefined; row: CaseRow | undefined },
  { staff, text }: { staff: Staff; text: string },
  from?: string,
): Promise<Result<CaseView & { replyId: number }, Problem>> {
  let replyId = 0;
  const done = await act(key, row, async (tx, current) => {
    replyId = await store.insertMessage(tx, current.id, { origin: 'staff', author: staff, text });
    return { type: 'staff-replied', messageId: replyId, staff, text, ...(from ? { from } : {}) };
  });
  return done.ok ? ok({ ...done.value, replyId }) : done;
}

/** Live checks run at once when many cases are checked again. */
const CHECKS_AT_ONCE = 4;

export function createCardActions(deps: CardContext & { act: Act }) {
  const { store, act } = deps;
  const { related } = store;
  const cards = createCards(deps);
  /** Cases being checked again now. */
  const checking = new Set<number>();
  /** The case of the post and the open cases sharing a cause with it. */
  async function groupOf(staffThread: string): Promise<CaseRow[] | undefined> {
    const row = await store.byStaffThread(staffThread);
    return row ? [row, ...(await related.peers(row))] : undefined;
  }

  /** The checks of a group of cases: servers listed alike are probed once; each card and post hears. */
  async function checkGroup(checker: Checker, event: StaffEvent, group: CaseRow[]): Promise<number> {
    const limit = pLimit(CHECKS_AT_ONCE);
    const runs = new Map<string, Promise<CheckReport | undefined>>();
    const checks = await Promise.all(
      group.map(async (member) => {
        const answer = await cards.answerTo(member.question).catch(() => undefined);
        if (!answer) return undefined;
        const servers = JSON.stringify([...answer.settings.incoming, ...answer.settings.outgoing]);
        if (!runs.has(servers))
          runs.set(
            servers,
            limit(() => checker(answer.settings).catch(() => undefined)),
          );
        const report = await runs.get(servers);
        return report && { ...report, settings: answer.settings };
      }),
    );
    for (const [index, member] of group.entries()) {
      const check = checks[index];
      await act(`${event.key}:${member.id}`, member, async (tx, row) => {
        if (!check) return { type: 'card-changed', note: words.notCheckedAgain(event.staff.name) };
        const failures = failuresOf(check);
        await related.recordFailures(tx, row.id, failures);
        await store.setCard(row.id, { ...cardOf(row), check }, tx);
        return {
          type: 'card-changed',
          note: words.checkedAgain(event.staff.name, groupFailures(failures).map(words.failureLine)),
        };
      });
    }
    return group.length;
  }

  return {
    /** A diagnosis staff made in the case's post (its error: option) goes on the card. */
    async diagnosed(event: StaffEvent & { diagnosis: Omit<CardDiagnosis, 'by'> }) {
      return act(event.key, await store.byStaffThread(event.staffThread), async (tx, row) => {
        const diagnosis = { ...event.diagnosis, by: event.staff.name };
        await store.setCard(row.id, { ...cardOf(row), diagnosis }, tx);
        return { type: 'card-changed', note: words.diagnosisAdded(event.staff.name, diagnosis.cause) };
      });
    },

    /**
     * Runs the live check again for the post's case and every open case sharing a cause with it (servers
     * listed alike are probed once), puts each result on its card and says in each post what it found.
     */
    async checkAgain(
      event: StaffEvent,
    ): Promise<Result<{ checked: number }, 'not-a-case' | 'checks-off' | 'checking' | 'slow-down'>> {
      const { checker } = deps;
      if (!checker) return fail('checks-off');
      const group = await groupOf(event.staffThread);
      if (!group) return fail('not-a-case');
      // One check of a case at a time: presses meanwhile probe nobody's servers again.
      if (group.some((member) => checking.has(member.id))) return fail('checking');
      const limited = await deps.checkLimiter?.(event.staff.id);
      if (limited && !limited.ok) return fail('slow-down');
      for (const member of group) checking.add(member.id);
      try {
        return ok({ checked: await checkGroup(checker, event, group) });
      } finally {
        for (const member of group) checking.delete(member.id);
      }
    },

    /**
     * One reply for the post's case and every open case sharing a cause with it: each customer gets it in their
     * own thread; the other posts keep a record of it. Returns the post's case with its reply's id, and the other
     * cases answered.
     */
    async answerTogether(
      event: StaffEvent & { text: string },
    ): Promise<Result<{ own: CaseView & { replyId: number }; others: CaseView[] }, string>> {
      const group = await groupOf(event.staffThread);
      if (!group) return fail('not-a-case');
      const [first, ...rest] = group;
      const own = await actOnReply(act, { store, key: event.key, row: first }, event);
      if (!own.ok) return own;
      const others: CaseView[] = [];
      for (const member of rest) {
        const key = `${event.key}:${member.id}`;
        const done = await actOnReply(act, { store, key, row: member }, event, event.staffThread);
        if (done.ok) others.push(done.value);
      }
      return ok({ own: own.value, others });
    },
  };
}
