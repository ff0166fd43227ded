// The parts of a Discord message that offer set-up in the customer's own mail program (render.ts puts them
// together with the settings): the steps as a Reply for an embed, with what to know about the Apple profile
// among its notes; the profile as an attachment; a link button to the signed set-up page; and the menu of
// programs when the question named none. The menu's custom id carries the question a choice is added to.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIStringSelectComponent,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { guideToReply, PROGRAM_NAMES, type Reply, type SetupOffer } from '../../src/index.js';
import { PROGRAM_SELECT } from './command.js';

/** Discord's limits on a component's custom id and on a link button's URL. */
const MAX_CUSTOM_ID = 100;
const MAX_URL = 512;

/** The steps as a Reply, with the profile's notes; undefined when the question named no program or has none. */
export function guideReplyOf(setup: SetupOffer, attached: boolean): Reply | undefined {
  if (!setup.guide?.ok) return undefined;
  const reply = guideToReply(setup.guide.value);
  const { profile } = setup;
  const notes = [...reply.notes];
  if (profile && !profile.ok) notes.push(profile.error);
  else if (profile?.ok && attached) {
    const phones = setup.link
      ? 'On an iPhone or iPad, open the set-up page in Safari instead.'
      : 'On an iPhone or iPad, follow the steps instead: they install profiles only from Safari.';
    notes.push(
      `The attached ${profile.value.name} is the Apple profile: open it on the Mac to install it. ${phones}`,
    );
  }
  return { ...reply, notes };
}

/** Why a program was named but there are no steps (an SMTP-only question), for the message's content. */
export const noStepsLine = (setup: SetupOffer): string | undefined =>
  setup.guide && !setup.guide.ok ? setup.guide.error : undefined;

export function profileFiles(setup: SetupOffer): AttachmentPayload[] {
  const { profile } = setup;
  return profile?.ok ? [{ attachment: Buffer.from(profile.value.content), name: profile.value.name }] : [];
}

export function linkButton(setup: SetupOffer): APIButtonComponent | undefined {
  if (!setup.link || setup.link.length > MAX_URL) return undefined;
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    url: setup.link,
    label: 'Set-up page for phones',
  };
}

/** The menu of programs; none when steps cannot be written or the question is too long to carry. */
export function programMenu(setup: SetupOffer): APIActionRowComponent<APIStringSelectComponent> | undefined {
  const customId = `${PROGRAM_SELECT}:${setup.question}`;
  if (setup.programs.length === 0 || customId.length > MAX_CUSTOM_ID) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: customId,
        placeholder: 'Steps for the customer’s mail program…',
        options: setup.programs.map((program) => ({ label: PROGRAM_NAMES[program], value: program })),
      },
    ],
  };
}
