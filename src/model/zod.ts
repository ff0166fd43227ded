// The schema library as every schema here uses it: zod's small build, zod/mini, whose schemas are built by
// functions rather than by methods, so a bundle keeps only what it uses and building a schema at start-up is
// cheap (the command line parses its environment on every run). It has no messages of its own: zod's English
// ones, which the full build sets up by itself, are set up here. Import it as a namespace (`* as z`).
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
