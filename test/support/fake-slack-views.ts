// Slack's modals on the fake (docs.slack.dev: views.open, views.update, "Reference: view objects", "View
// interaction payloads"): views.open exchanges a trigger id (fake-slack-triggers.ts), the views Slack stores (with the id, hash, state and the fields it adds),
// the checks Slack makes of a view (title and buttons at most 24 characters, at most 100 blocks, a submit button
// where there are inputs, private_metadata at most 3000 characters, a text input at most 3000; a static select
// with at most 100 options of at most 75 characters, values at most 150, and an initial option among them), and
// the view_submission payload sent when the person presses Submit: the stored view with state.values holding
// what was typed or chosen (a field left alone keeps its initial value, as in Slack's client) and
// private_metadata as the app set it.
import { randomBytes } from 'node:crypto';
import { APP_ID, BOT_ID, TEAM_DOMAIN, TEAM_ID } from './fake-slack-payloads.js';
import { exchangeTrigger, issueTrigger } from './fake-slack-triggers.js';

type Json = Record<string, unknown>;

/** A view as Slack stores it and sends it back. */
export interface SlackView extends Json {
  id: string;
  /** Who the modal was opened for, and their username (not part of Slack's object; what the fake remembers). */
  user: string;
  userName?: string;
  callback_id: string;
  private_metadata: string;
  hash: string;
  blocks: Json[];
  title: { type: 'plain_text'; text: string };
  state: { values: Record<string, Record<string, Json>> };
  /** Closed by the person, or by the app's response to a submission. */
  closed?: boolean;
  /** What the app answered to the last submission with response_action: errors. */
  errors?: Record<string, string>;
}

const MAX_LABEL = 24;
const MAX_BLOCKS = 100;
const MAX_METADATA = 3000;
const MAX_INPUT = 3000;
const MAX_OPTIONS = 100;
const MAX_OPTION_TEXT = 75;
const MAX_OPTION_VALUE = 150;

type Option = { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string };
const sameOption = (a: Option | undefined, b: Option) => a?.value === b.value && a.text?.text === b.text.text;
/** Slack's own complaints about a view, in its response_metadata wording, or none. */
function problemsOf(view: Json): string[] {
  const problems: string[] = [];
  const label = (name: string) => {
    const text = (view[name] as { text?: string } | undefined)?.text;
    if (text !== undefined && text.length > MAX_LABEL)
      problems.push(
        `[ERROR] must be less than ${MAX_LABEL + 1} characters [json-pointer:/view/${name}/text]`,
      );
  };
  if (view.type !== 'modal') problems.push('[ERROR] must provide a valid type [json-pointer:/view/type]');
  if (!(view.title as { text?: string } | undefined)?.text)
    problems.push('[ERROR] missing required field: title [json-pointer:/view]');
  for (const name of ['title', 'submit', 'close']) label(name);
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
  if (blocks.length > MAX_BLOCKS)
    problems.push(`[ERROR] no more than ${MAX_BLOCKS} items allowed [json-pointer:/view/blocks]`);
  if (blocks.some((block) => block.type === 'input') && !view.submit)
    problems.push('[ERROR] must provide submit for views with input blocks [json-pointer:/view/submit]');
  if (String(view.private_metadata ?? '').length > MAX_METADATA)
    problems.push(
      `[ERROR] must be less than ${MAX_METADATA + 1} characters [json-pointer:/view/private_metadata]`,
    );
  blocks.forEach((block, index) => {
    const element = block.element as Json | undefined;
    if (
      block.type === 'input' &&
      element?.type === 'plain_text_input' &&
      Number(element.max_length ?? 0) > MAX_INPUT
    )
      problems.push(
        `[ERROR] must be at most ${MAX_INPUT} [json-pointer:/view/blocks/${index}/element/max_length]`,
      );
    if (element?.type === 'static_select')
      problems.push(...selectProblems(element, `/view/blocks/${index}/element`));
  });
  return problems;
}

/** What Slack refuses in a static select: too many options, long texts or values, an initial option not offered. */
function selectProblems(element: Json, at: string): string[] {
  const options = (element.options ?? []) as Option[];
  const problems: string[] = [];
  if (options.length > MAX_OPTIONS)
    problems.push(`[ERROR] no more than ${MAX_OPTIONS} items allowed [json-pointer:${at}/options]`);
  options.forEach((option, index) => {
    if ((option.text?.text ?? '').length > MAX_OPTION_TEXT)
      problems.push(
        `[ERROR] must be less than ${MAX_OPTION_TEXT + 1} characters [json-pointer:${at}/options/${index}/text/text]`,
      );
    if (String(option.value ?? '').length > MAX_OPTION_VALUE)
      problems.push(
        `[ERROR] must be less than ${MAX_OPTION_VALUE + 1} characters [json-pointer:${at}/options/${index}/value]`,
      );
  });
  const initial = element.initial_option as Option | undefined;
  if (initial && !options.some((option) => sameOption(initial, option)))
    problems.push(`[ERROR] initial_option must match one of the options [json-pointer:${at}/initial_option]`);
  return problems;
}

/** What a person left in an input (`typed`: undefined leaves the initial value, null clears it), as state.values holds it. */
function stateOf(element: Json, typed: string | null | undefined): Json | undefined {
  if (element.type === 'plain_text_input')
    return {
      type: 'plain_text_input',
      value: typed === undefined ? ((element.initial_value as string | undefined) ?? null) : typed,
    };
  if (element.type !== 'static_select') return undefined;
  if (typed === undefined) return { type: 'static_select', selected_option: element.initial_option ?? null };
  const chosen = ((element.options ?? []) as Option[]).find((option) => option.value === typed);
  if (typed !== null && !chosen)
    throw new Error(`no option ${typed} to choose in ${String(element.action_id)}`);
  return { type: 'static_select', selected_option: chosen ?? null };
}

export function createViews() {
  const views = new Map<string, SlackView>();
  let count = 0;

  const stored = (
    view: Json,
    user: string,
    id = `V${String(++count).padStart(10, '0')}`,
    userName = views.get(id)?.userName ?? 'customer',
  ): SlackView =>
    ({
      id,
      team_id: TEAM_ID,
      type: 'modal',
      close: null,
      submit: null,
      ...view,
      user,
      userName,
      blocks: ((view.blocks as Json[] | undefined) ?? []).map((block, index) => ({
        ...block,
        block_id: block.block_id ?? `blk${index}`,
      })),
      private_metadata: String(view.private_metadata ?? ''),
      callback_id: String(view.callback_id ?? ''),
      external_id: String(view.external_id ?? ''),
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: Boolean(view.clear_on_close),
      notify_on_close: Boolean(view.notify_on_close),
      root_view_id: id,
      previous_view_id: null,
      app_id: APP_ID,
      app_installed_team_id: TEAM_ID,
      bot_id: BOT_ID,
    }) as unknown as SlackView;

  const invalid = (view: Json) => ({
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: problemsOf(view) },
  });
  const slackView = ({
    user: _user,
    userName: _name,
    closed: _closed,
    errors: _errors,
    ...view
  }: SlackView) => view;

  const methods: Record<string, (body: Json) => Json> = {
    'views.open': (body) => {
      const view = (body.view ?? {}) as Json;
      if (problemsOf(view).length > 0) return invalid(view);
      const trigger = exchangeTrigger(String(body.trigger_id ?? ''));
      if (!trigger.ok) return { ok: false, error: trigger.error };
      const opened = stored(view, trigger.user, undefined, trigger.name);
      views.set(opened.id, opened);
      return { ok: true, view: slackView(opened) };
    },
    'views.update': (body) => {
      const current =
        views.get(String(body.view_id ?? '')) ??
        [...views.values()].find((view) => body.external_id && view.external_id === body.external_id);
      if (!current || current.closed) return { ok: false, error: 'not_found' };
      if (body.hash !== undefined && body.hash !== current.hash) return { ok: false, error: 'hash_conflict' };
      const view = (body.view ?? {}) as Json;
      if (problemsOf(view).length > 0) return invalid(view);
      const updated = stored(view, current.user, current.id);
      views.set(current.id, updated);
      return { ok: true, view: slackView(updated) };
    },
  };

  return {
    methods,
    views: (): SlackView[] => [...views.values()],
    /**
     * The view_submission payload for the person pressing Submit with `typed` in its inputs, by block id: a
     * text, or a select's option value; a block left out keeps its initial value, null clears it.
     */
    submission(
      viewId: string,
      typed: Record<string, string | null>,
      as?: { id: string; name: string },
    ): Json {
      const view = views.get(viewId);
      if (!view || view.closed) throw new Error(`no open view ${viewId}`);
      const values: SlackView['state']['values'] = {};
      for (const block of view.blocks) {
        const element = block.element as Json | undefined;
        const state =
          block.type === 'input' && element ? stateOf(element, typed[String(block.block_id)]) : undefined;
        if (state && element) values[String(block.block_id)] = { [String(element.action_id)]: state };
      }
      return {
        type: 'view_submission',
        team: { id: TEAM_ID, domain: TEAM_DOMAIN },
        // Slack sends the person the modal was opened for; `as` forges another, for tests of an app's own check.
        user: {
          id: as?.id ?? view.user,
          username: as?.name ?? view.userName,
          name: as?.name ?? view.userName,
          team_id: TEAM_ID,
        },
        api_app_id: APP_ID,
        token: 'legacy',
        trigger_id: issueTrigger(view.user),
        view: { ...slackView(view), state: { values } },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
    },
    /** What Slack does with the app's acknowledgement of a submission (its response_action). */
    respond(viewId: string, ack: Json): void {
      const view = views.get(viewId);
      if (!view) return;
      if (ack.response_action === 'errors') view.errors = ack.errors as Record<string, string>;
      else if (ack.response_action === 'update')
        views.set(viewId, stored(ack.view as Json, view.user, viewId));
      else view.closed = true;
    },
  };
}
