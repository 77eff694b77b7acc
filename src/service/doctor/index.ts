// `imessage-bridge doctor`: one line per check, ✔ or ✘, and the exact fix.
import type { Check, CheckResult, DoctorEnv } from './types.ts';
import { apiLoopback, automationAllowed, chatDbReadable, contactsReadable, diskSpace, launchAgentLoaded, mediaTools, messagesRunning, notMacOS, sleepSettings } from './local.ts';
import { discordReady, matrixReady } from './remote.ts';

export type { CheckResult, DoctorEnv } from './types.ts';

export const checks: Check[] = [
  notMacOS, chatDbReadable, contactsReadable, automationAllowed, messagesRunning, sleepSettings,
  launchAgentLoaded, discordReady, matrixReady, mediaTools, apiLoopback, diskSpace,
];

/** Checks that ask macOS itself (osascript, pmset, launchctl): off a Mac they only repeat "not macOS". */
const MAC_ONLY = new Set<Check>([automationAllowed, messagesRunning, sleepSettings, launchAgentLoaded]);

export async function runDoctor(env: DoctorEnv, list: Check[] = checks): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of list) {
    if (env.platform !== 'darwin' && MAC_ONLY.has(check)) continue;
    try {
      const r = await check(env);
      if (r) results.push(r);
    } catch (err) {
      // A check that crashes is itself a finding, never the end of the report.
      results.push({ id: check.name, title: check.name, ok: false, detail: `check crashed: ${(err as Error).message}`, fix: 'Report this with `DEBUG=1 imessage-bridge doctor`.' });
    }
  }
  return results;
}

export function formatResults(results: CheckResult[]): string {
  return results.map((r) => `${r.ok ? '✔' : '✘'} ${r.title}: ${r.detail}${!r.ok && r.fix ? `\n    fix: ${r.fix}` : ''}`).join('\n') + '\n';
}
