import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('Configuration tools');
  config.command('check [file]')
    .description('Validate a config file; prints what is wrong, with key and line')
    .action((file: string | undefined) => {
      const path = file ?? 'config.yaml';
      const cfg = loadConfig(path);
      const parts = [cfg.discord && 'discord', cfg.matrix && 'matrix', cfg.api && 'api'].filter(Boolean);
      process.stdout.write(`${path}: ok (${parts.length ? parts.join(', ') : 'no connectors'} configured)\n`);
    });
}
