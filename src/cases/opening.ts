// A new case, from "Ask a person" until staff can see it: stored at once, then the staff post and the
// customer's thread through the outbox. Whoever asked hears how far it got: opened (staff have it), on its way
// (a side did not answer yet; the outbox keeps trying), or refused for good (by the customer's side: the bot
// may not post there; by the staff's: nobody will ever see it, so the case is forgotten).
import { fail, ok, type Result } from '../model/result.js';
import { isConflict } from '../store/trouble.js';
import { type CaseStore, type NewCaseRequest, toState } from './case-store.js';
import { decide } from './lifecycle.js';
import type { Outbox } from './outbox.js';
import type { OutboxStore } from './outbox-store.js';
import type { CaseView } from './ports.js';

/** How far a new case got: staff can see it, it is still on its way, or it could not be made. */
export type FirstDelivery =
  | { status: 'opened'; view: CaseView }
  | { status: 'pending'; view: CaseView }
  | { status: 'refused'; side: 'customer' | 'staff'; reason: string; id: number };

export function createOpening(parts: {
  store: CaseStore;
  rows: OutboxStore;
  outbox: Outbox;
  now: () => number;
  /** The sides' view of a case now (with when the team is back, when it is away). */
  view: (row: Parameters<typeof toState>[0]) => CaseView;
}) {
  const { store, rows, outbox, now, view } = parts;

  /** How far a new case got, without delivering anything more. */
  async function progress(id: number): Promise<FirstDelivery> {
    const row = await store.find(id);
    if (!row) return { status: 'refused', side: 'staff', reason: 'the case is gone', id };
    if (row.customer_thread) return { status: 'opened', view: view(row) };
    const refused = await rows.refusal(id);
    if (!refused) return { status: 'pending', view: view(row) };
    // No post and no thread: nobody could ever see this case. (A thread refused closed the case already.)
    if (refused.target === 'staff') await store.drop(id);
    return { status: 'refused', side: refused.target, reason: refused.error, id };
  }

  return {
    /** Opens a case for a customer who asked for a person. One open case per customer and place. */
    async open(
      request: NewCaseRequest,
    ): Promise<Result<CaseView, { problem: 'already-open'; existing: CaseView }>> {
      const alreadyOpen = async () => {
        const existing = await store.openCaseOf(request.place, request.customerId);
        if (!existing) return undefined;
        // One whose post was refused for good after whoever asked stopped waiting (a restart) is dropped now:
        // nobody could ever see it, and it must not keep the customer from asking again.
        if (!existing.staff_thread && (await progress(existing.id)).status === 'refused') return undefined;
        return fail({ problem: 'already-open' as const, existing: view(existing) });
      };
      try {
        const open = await alreadyOpen();
        if (open) return open;
        const created = await store.change(undefined, async (tx) => {
          const row = await store.insertCase(tx, request);
          const step = decide(toState(row), { type: 'opened' }, now());
          return step.ok ? store.apply(tx, row, step.value) : row;
        });
        if (!created.ok) throw new Error('a case cannot be a duplicate event');
        return ok(view(created.value));
      } catch (error) {
        // Another press opened one between the check and the insert: migration 0005's index refused this one.
        const open = isConflict(error, 'cases_one_open') ? await alreadyOpen() : undefined;
        if (open) return open;
        throw error;
      }
    },

    /** Delivers a new case's first messages now, and says how far it got. */
    async firstDelivery(id: number): Promise<FirstDelivery> {
      await outbox.drain();
      return progress(id);
    },

    /** Waits (while the outbox works) until a new case is opened or refused, or `withinMs` passed. */
    async settled(id: number, withinMs: number, pollMs = 1000): Promise<FirstDelivery> {
      const until = now() + withinMs;
      for (;;) {
        const outcome = await progress(id);
        if (outcome.status !== 'pending' || now() >= until) return outcome;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}
