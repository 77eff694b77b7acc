// Preloaded with `node --import` by cliStartup.test.ts: records every module
// URL the process resolves into the file named by TRACE_IMPORTS_FILE, so a
// test can see which packages a CLI command loaded (from outside, as a user runs it).
import { register } from 'node:module';
import process from 'node:process';

register('./traceImportsHooks.mjs', import.meta.url, { data: { file: process.env.TRACE_IMPORTS_FILE } });
