// The registry of CLI commands. Add a command by adding its name and a loader
// of its register function. Loaders import lazily so that running one command
// loads only its own modules: `messages` must not pay for fastify, discord.js
// and matrix-bot-sdk at startup (seconds and ~30 MB on a large chat.db read).
// test/messages/cliStartup.test.ts checks each name matches what it registers.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  /** The top-level command name the register function adds. */
  name: string;
  load: () => Promise<RegisterCommand>;
}

export const commands: CommandEntry[] = [
  { name: 'config', load: async () => (await import('./config.ts')).registerConfig },
  { name: 'service', load: async () => (await import('./service.ts')).registerService },
  { name: 'doctor', load: async () => (await import('./doctor.ts')).registerDoctor },
  { name: 'init', load: async () => (await import('./init.ts')).registerInit },
  { name: 'demo', load: async () => (await import('./demo.ts')).registerDemo },
  { name: 'token', load: async () => (await import('./token.ts')).registerToken },
  { name: 'chats', load: async () => (await import('./chats.ts')).registerChats },
  { name: 'messages', load: async () => (await import('./messages.ts')).registerMessages },
  { name: 'send', load: async () => (await import('./send.ts')).registerSend },
  { name: 'watch', load: async () => (await import('./watch.ts')).registerWatch },
  { name: 'run', load: async () => (await import('./run.ts')).registerRun },
  { name: 'matrix', load: async () => (await import('./matrix.ts')).registerMatrix },
  { name: 'backfill', load: async () => (await import('./backfill.ts')).registerBackfill },
];
