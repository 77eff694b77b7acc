// The registry of CLI commands. Add a command by adding its register function.
import type { Command } from 'commander';
import { registerConfig } from './config.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerConfig,
];
