// CLI entry: each command lives in ./commands and registers itself on the
// program passed to it (an explicit registry, no import side effects).
import { Command } from 'commander';
import { commands } from './commands/index.ts';
import { reportAndExit } from './errors.ts';

const program = new Command('imessage-bridge')
  .description('Turn a Mac signed into Messages into an iMessage gateway for Matrix, Discord and a local API.')
  .version('0.1.0');

for (const register of commands) register(program);

program.parseAsync(process.argv).catch(reportAndExit);
