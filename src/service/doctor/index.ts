// `imessage-bridge doctor`: one line per check, ✔ or ✘, and the exact fix.
import type { Check, CheckResult, DoctorEnv } from './types.ts';
import { apiLoopback, automationAllowed, chatDbReadable, contactsReadable, diskSpace, launchAgentLoaded, messagesRunning, sleepSettings } from './local.ts';
import { discordReady, matrixReady } from './remote.ts';

export type { CheckResult, DoctorEnv } from './types.ts';

export const checks: Check[] = [
  chatDbReadable, contactsReadable, automationAllowed, messagesRunning, sleepSettings,
  launchAgentLoaded, discordReady, matrixReady, apiLoopback, diskSpace,
];

export async function runDoctor(env: DoctorEnv, list: Check[] = checks): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of list) {
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
