// The two database engines the store runs on, and which one a DATABASE_URL names.
export type Engine = 'sqlite' | 'postgres';

export const engineOf = (url: string): Engine => (/^postgres(ql)?:/i.test(url) ? 'postgres' : 'sqlite');
