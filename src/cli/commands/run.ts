// `imessage-bridge run [--config FILE]`: the daemon, until SIGTERM/SIGINT.
import type { Command } from 'commander';
import { setLogger, terminalLogger } from '../../log.ts';
import { startBridge, type Part } from '../../daemon.ts';
import { cliConfig } from './send.ts';

export function registerRun(program: Command): void {
  program.command('run')
    .description('Run the bridge: watch chat.db, relay to the configured connectors, send replies back')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action(async (o: { config?: string }) => {
      const config = cliConfig(o);
      // Readable on a terminal, JSON lines under launchd (see terminalLogger).
      const log = terminalLogger(process.env.LOG_LEVEL ?? config.bridge.log_level);
      setLogger(log);
      const { connectorsFromConfig } = await import('../../connectors/index.ts');
      const { apiPart } = await import('../../parts/api.ts');
      const { keepAwakePart } = await import('../../parts/keepAwake.ts');
      const extraParts = [apiPart(config, log), keepAwakePart(config)].filter((p): p is Part => p !== null);
      await startBridge({ config, log, connectors: (deps) => connectorsFromConfig(config, deps), extraParts });
    });
}
