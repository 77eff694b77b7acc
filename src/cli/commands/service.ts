import type { Command } from 'commander';
import { homedir, userInfo } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LABEL, agentStatus, installAgent, logDir, refuseOffMac, uninstallAgent } from '../../service/launchAgent.ts';
import { execRunner } from '../../service/runner.ts';

const binPath = () => fileURLToPath(new URL('../../../bin/imessage-bridge.js', import.meta.url));

export function registerService(program: Command): void {
  const svc = program.command('service').description('Install and manage the LaunchAgent that keeps the bridge running');
  const label = (o: { label?: string }) => o.label ?? DEFAULT_LABEL;

  svc.command('install')
    .description('Write ~/Library/LaunchAgents/<label>.plist and load it with launchctl bootstrap')
    .option('--config <file>', 'config file the service runs with', 'config.yaml')
    .option('--label <label>', 'launchd label', DEFAULT_LABEL)
    .action(async (o: { config: string; label?: string }) => {
      refuseOffMac();
      if (!existsSync(o.config)) throw Object.assign(new Error(`config file ${o.config} not found`), { advice: 'Create one with `imessage-bridge init` first.' });
      const file = await installAgent({
        label: label(o), home: homedir(), uid: userInfo().uid,
        // The resolved node binary is the one that needs Full Disk Access under launchd.
        nodePath: process.execPath, scriptPath: binPath(), configPath: resolve(o.config),
      }, execRunner);
      process.stdout.write(`installed ${file}\nFull Disk Access must be granted to ${process.execPath} (System Settings › Privacy & Security › Full Disk Access).\n`);
    });

  svc.command('uninstall')
    .description('Stop the LaunchAgent (launchctl bootout) and remove its plist')
    .option('--label <label>', 'launchd label', DEFAULT_LABEL)
    .action(async (o: { label?: string }) => {
      const existed = await uninstallAgent(homedir(), label(o), userInfo().uid, execRunner);
      process.stdout.write(existed ? 'uninstalled\n' : 'not installed\n');
    });

  svc.command('status')
    .description('Whether the LaunchAgent is installed and loaded, its pid and last exit code')
    .option('--label <label>', 'launchd label', DEFAULT_LABEL)
    .option('--json', 'print as JSON')
    .action(async (o: { label?: string; json?: boolean }) => {
      const s = await agentStatus(homedir(), label(o), userInfo().uid, execRunner);
      if (o.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else process.stdout.write(`installed: ${s.installed ? 'yes' : 'no'} (${s.plist})\nloaded: ${s.loaded ? 'yes' : 'no'}\npid: ${s.pid ?? '-'}\nlast exit: ${s.lastExit ?? '-'}\n`);
    });

  svc.command('logs')
    .description('Print the end of the service\'s log (~/Library/Logs/imessage-bridge/bridge.log)')
    .option('-n, --lines <n>', 'how many lines', '100')
    .action((o: { lines: string }) => {
      const file = join(logDir(homedir()), 'bridge.log');
      if (!existsSync(file)) { process.stdout.write(`no log yet at ${file}\n`); return; }
      const lines = readFileSync(file, 'utf8').split('\n');
      process.stdout.write(lines.slice(-Number(o.lines) - 1).join('\n'));
    });
}
