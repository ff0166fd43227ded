// How Discord's forum posts are named for the case core, which keeps them as opaque text: `discord:<thread id>`
// (a post is a thread). A customer message's copy is the comma-separated ids of the message(s) it took.
// Migration 0003 (src/store/migration-0003-by-roles.ts) rewrote older cases in this form.

export const postRef = (threadId: string) => `discord:${threadId}`;
export const threadIdOf = (ref: string) => ref.slice('discord:'.length);

export const copyRef = (ids: string[]) => ids.join(',');
export const copyIds = (ref: string) => ref.split(',').filter(Boolean);
