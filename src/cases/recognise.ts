// What a customer's words mean when they name an error the diagnosis catalogue knows (src/diagnose, loaded on
// first use): the words they wrote when asking for a person go on the card; a message of theirs in the case's
// thread becomes a note for staff only. Confirmed by the case's own live check, the one on the card: nothing a
// customer writes makes the bot probe servers again. Nothing of their words is repeated, only the catalogue's
// own words and the fix; what looks like a password is cut out before anything is stored.
import { LRUCache } from 'lru-cache';
import type { CheckReport } from '../check/check.js';
import { loadDiagnose } from '../diagnose/load.js';
import { cutPasswords, MAX_PASTE } from '../diagnose/paste.js';
import * as words from '../messages/case-card.js';
import type { Answer } from '../resolve/answer.js';
import type { CaseRow } from '../store/schema.js';
import type { Author } from './lifecycle.js';

export { cutPasswords } from '../diagnose/paste.js';

import type { CardDiagnosis, CaseCard } from './ports.js';

/** The diagnosis of `text` for this answer, when the catalogue recognises an error in it. */
export async function diagnoseWords(
  text: string,
  answer: Answer,
  check: CheckReport | undefined,
  by: string,
): Promise<CardDiagnosis | undefined> {
  const stage = await loadDiagnose();
  const paste = stage.readPaste(text.slice(0, MAX_PASTE));
  if (!paste.ok) return undefined;
  const diagnosis = stage.diagnoseError(paste.value.text, answer.settings);
  if (diagnosis.cause === 'unknown') return undefined;
  const report = check && stage.wantsCheck(diagnosis) ? check : undefined;
  // Said to staff, who are told about a password apart (the explanation's own sentence is for the customer).
  const explanation = stage.explainDiagnosis(diagnosis, answer, { ...paste.value, redacted: false }, report);
  return { ...explanation, ...(diagnosis.recognised ? { recognised: diagnosis.recognised } : {}), by };
}

/**
 * Cards read lately, by their stored text: every delivery to a case reads the case, and parsing its card each
 * time was a large part of a delivery's work. Shared by whoever reads the same text: never changed in place.
 */
const cards = new LRUCache<string, CaseCard>({ max: 256 });

export function cardOf(row: CaseRow): CaseCard {
  if (!row.card) return {};
  let card = cards.get(row.card);
  if (!card) {
    card = JSON.parse(row.card) as CaseCard;
    cards.set(row.card, card);
  }
  return card;
}

/**
 * A message in the case's thread as it is kept and relayed: passwords cut out; and, written by the customer
 * and naming an error the catalogue knows, the note staff get about it.
 */
export async function heard(
  row: CaseRow,
  by: Author,
  text: string,
): Promise<{ text: string; recognised?: string }> {
  const cut = cutPasswords(text);
  const { answer, check } = cardOf(row);
  if (by.id !== row.customer_id || !answer) return { text: cut.text };
  const diagnosis = await diagnoseWords(cut.text, answer, check, row.customer_name).catch(() => undefined);
  if (!diagnosis) return { text: cut.text };
  return { text: cut.text, recognised: words.errorRecognised(row.customer_name, diagnosis, cut.redacted) };
}
