import type { Command } from 'commander';
import { createLogger, setLogger } from '../../log.ts';
import { loadConfig } from '../../config/load.ts';

const DEFAULT_PORT = 8787;

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('Run the whole bridge against a simulated Messages: sample chats, live messages, the API and the web client')
    .option('--port <port>', `API port (0 = any free port; default ${DEFAULT_PORT}, or a free one when that is taken)`)
    .option('--dir <dir>', 'where to put the simulated Messages and the bridge database, kept and reused by the next run (default: a temp folder removed on exit)')
    .option('--config <file>', 'also mirror into the Discord/Matrix configured here')
    .option('--chatter <seconds>', 'seconds between simulated incoming messages (0 = none)', '6')
    .action(async (o: { port?: string; dir?: string; config?: string; chatter: string }) => {
      const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
      setLogger(log);
      const { runDemo } = await import('../../demo/index.ts');
      const demo = await runDemo({
        port: o.port === undefined ? DEFAULT_PORT : Number(o.port), portExplicit: o.port !== undefined,
        chatterMs: Number(o.chatter) * 1000, log,
        ...(o.dir ? { dir: o.dir } : {}), ...(o.config ? { base: loadConfig(o.config) } : {}),
        out: (l) => process.stdout.write(`${l}\n`),
      });
      // Ctrl-C or SIGTERM: stop cleanly (the temp folder goes too); a second one exits at once.
      const stop = (): void => {
        process.once('SIGINT', () => process.exit(130));
        process.once('SIGTERM', () => process.exit(143));
        demo.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
