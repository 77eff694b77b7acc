// Runs only the `token` command, the way src/cli/main.ts runs every command,
// so this test does not depend on other commands' imports.
import { Command } from 'commander';
import { registerToken } from '../../../src/cli/commands/token.ts';
import { reportAndExit } from '../../../src/cli/errors.ts';

const program = new Command('imessage-bridge');
registerToken(program);
program.parseAsync(process.argv).catch(reportAndExit);
