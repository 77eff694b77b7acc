#!/usr/bin/env node
// Runs the TypeScript sources through tsx so the package works straight from a
// checkout; the LaunchAgent points at this file with an absolute node path.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
