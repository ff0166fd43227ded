// Renders a guide two ways: as the neutral Reply every front end already renders (one section per step, so
// Slack's and Discord's per-section limits hold for any guide), and as a numbered plain-text list.
import type { Reply } from '../reply/reply.js';
import type { Guide } from './guide-model.js';
import { PROGRAM_NAMES } from './programs.js';

export function guideToReply(guide: Guide): Reply {
  return {
    title: guide.title,
    // Every section gets at least one field: Discord refuses an embed field with an empty value.
    sections: guide.steps.map((step, index) => ({
      title: `Step ${index + 1} of ${guide.steps.length}`,
      fields: [{ label: 'Do this', value: step.text }, ...step.values],
    })),
    notes: guide.notes,
    source: `Steps for ${PROGRAM_NAMES[guide.program]}; the screens can differ a little between versions.`,
  };
}

/** Numbered steps with what to type indented under each, for the CLI and any text-only channel. */
export function guideToText(guide: Guide): string {
  const lines = [guide.title, ''];
  for (const [index, step] of guide.steps.entries()) {
    lines.push(`${index + 1}. ${step.text}`);
    for (const { label, value } of step.values) lines.push(`     ${label}: ${value}`);
  }
  if (guide.notes.length > 0) lines.push('', 'Notes:', ...guide.notes.map((note) => `  - ${note}`));
  return lines.join('\n');
}
