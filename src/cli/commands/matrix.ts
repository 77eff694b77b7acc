import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { registrationPath, writeRegistration } from '../../connectors/matrix/registration.ts';

export function registerMatrix(program: Command): void {
  const matrix = program.command('matrix').description('Matrix connector tools');
  matrix.command('registration')
    .description('Write the appservice registration YAML for the homeserver (tokens are generated once and kept)')
    .option('--config <file>', 'config file', 'config.yaml')
    .option('--out <file>', 'where to write it (default: matrix.appservice.registration)')
    .action((o: { config: string; out?: string }) => {
      const cfg = loadConfig(o.config);
      if (!cfg.matrix) {
        process.stderr.write(`${o.config} has no matrix section.\n  advice: add one (see config.example.yaml) with mode: appservice, then run this again\n`);
        process.exitCode = 1;
        return;
      }
      const out = o.out ?? registrationPath(cfg.matrix);
      const reg = writeRegistration(cfg.matrix, out);
      process.stdout.write(`wrote ${out}\n  users: ${reg.namespaces.users[0]?.regex}\n  url:   ${reg.url}\nNext: list it under app_service_config_files in homeserver.yaml and restart the homeserver.\n`);
      // The bridge reads its tokens from the configured path; a file written elsewhere leaves it without them.
      const used = registrationPath(cfg.matrix);
      if (resolve(out) !== used) process.stdout.write(`Note: the bridge reads its tokens from ${used} (matrix.appservice.registration); set that to ${resolve(out)}.\n`);
    });
}
