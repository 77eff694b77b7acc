// The registry of CLI commands. Add a command by adding its register function.
import type { Command } from 'commander';
import { registerConfig } from './config.ts';
import { registerService } from './service.ts';
import { registerDoctor } from './doctor.ts';
import { registerInit } from './init.ts';
import { registerDemo } from './demo.ts';
import { registerMatrix } from './matrix.ts';
import { registerToken } from './token.ts';
import { registerChats } from './chats.ts';
import { registerMessages } from './messages.ts';
import { registerSend } from './send.ts';
import { registerWatch } from './watch.ts';
import { registerRun } from './run.ts';
import { registerBackfill } from './backfill.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerConfig,
  registerService,
  registerDoctor,
  registerInit,
  registerDemo,
  registerToken,
  registerChats,
  registerMessages,
  registerSend,
  registerWatch,
  registerRun,
  registerMatrix,
  registerBackfill,
];
