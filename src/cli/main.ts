// CLI entry: each command lives in ./commands and registers itself on the
// program passed to it (an explicit registry, no import side effects). Only
// the command being run is loaded; help, an unknown name or no name loads
// them all, so commander lists and suggests exactly as before.
import { Command } from 'commander';
import { commands } from './commands/index.ts';
import { reportAndExit } from './errors.ts';

async function main(argv: string[]): Promise<void> {
  const program = new Command('imessage-bridge')
    .description('Turn a Mac signed into Messages into an iMessage gateway for Matrix, Discord and a local API.')
    .version('0.1.0');
  const named = commands.find((c) => c.name === argv[2]);
  for (const register of await Promise.all((named ? [named] : commands).map((c) => c.load()))) register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch(reportAndExit);
