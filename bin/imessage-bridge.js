#!/usr/bin/env node
// The CLI. Runs the compiled build when it is current (see compiled.js), else
// the TypeScript sources through tsx, so the package also works straight from
// a checkout that was edited; the LaunchAgent points at this file with an
// absolute node path.
import { pathToFileURL } from 'node:url';
import { currentBuild } from './compiled.js';

const compiled = currentBuild();
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
