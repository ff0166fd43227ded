// Turns an explained error into the neutral reply every front end renders (title, what it means, the live
// check, what to do) and into plain text. Nothing of the paste is in it: only the catalogue's own words.
import * as words from '../messages/diagnose.js';
import type { Reply } from '../reply/reply.js';
import type { Explained } from './explain.js';

const CHECK = { true: 'confirms it', false: 'does not show it', null: 'not run' } as const;

export function explainedToReply(explained: Explained): Reply {
  const { explanation, diagnosis, answer } = explained;
  const notes = [explanation.summary, `What to do: ${explanation.fix}`];
  if (explained.checkForStaff) notes.push(words.CHECK_FOR_STAFF);
  const recognised = diagnosis.recognised ? `${words.recognisedAs(diagnosis.recognised)} · ` : '';
  return {
    title: words.explainedTitle(explanation.cause),
    sections: [
      {
        title: `For ${answer.settings.query.email ?? answer.settings.query.domain}`,
        fields: [
          { label: 'Cause', value: explanation.cause },
          {
            label: 'Live check',
            value:
              explained.report && explanation.confirmed === null
                ? 'could check nothing'
                : CHECK[`${explanation.confirmed}`],
          },
        ],
      },
    ],
    notes,
    source: `${recognised}Settings from: ${answer.settings.source.detail}`,
  };
}
