import type { Command } from 'commander';
import { existsSync, statfsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { defaultConfig, loadConfig } from '../../config/load.ts';
import { formatResults, runDoctor } from '../../service/doctor/index.ts';
import { DEFAULT_LABEL } from '../../service/launchAgent.ts';
import { execRunner } from '../../service/runner.ts';

export function registerDoctor(program: Command): void {
  program.command('doctor')
    .description('Check everything the bridge needs on this Mac (says so first when this is not a Mac); prints the fix for each failure')
    .option('--config <file>', 'config file', 'config.yaml')
    .option('--json', 'print the results as JSON')
    .action(async (o: { config: string; json?: boolean }) => {
      const configPath = existsSync(o.config) ? o.config : null;
      const config = configPath ? loadConfig(configPath) : defaultConfig();
      const results = await runDoctor({
        config, configPath, home: homedir(), uid: userInfo().uid, platform: process.platform,
        execPath: process.execPath, termProgram: process.env.TERM_PROGRAM,
        run: execRunner, fetch: globalThis.fetch, serviceLabel: DEFAULT_LABEL, toolPath: process.env.PATH ?? '',
        freeBytes: (p) => { const s = statfsSync(p); return s.bavail * s.bsize; },
      });
      process.stdout.write(o.json ? `${JSON.stringify({ ok: results.every((r) => r.ok), checks: results })}\n` : formatResults(results));
      if (!results.every((r) => r.ok)) process.exitCode = 1;
    });
}
