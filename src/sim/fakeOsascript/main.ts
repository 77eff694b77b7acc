// Entry point of the fake `osascript` (run through ./bin/osascript). Accepts
// only `osascript - <values…>` with the script on stdin, records every
// invocation, then compiles and runs the script against the simulator.
import { appendFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, type Span } from './compile.ts';
import { execute, OsaRuntimeError, type SimPort } from './execute.ts';
import { readModes, type Directive } from './modes.ts';
import { HANG_FILE, INVOCATION_LOG } from './files.ts';

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

const syntaxError = (pos: Span, message: string, n: number): never =>
  fail(`${pos.start}:${pos.end}: syntax error: ${message} (${n})`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function hangForever(simDir: string): void {
  // A child in our process group, so tests can check the whole tree is killed.
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  writeFileSync(join(simDir, HANG_FILE), JSON.stringify({ pid: process.pid, childPid: child.pid }));
  setInterval(() => undefined, 1e9);
}

async function openSim(simDir: string): Promise<SimPort & { close(): unknown }> {
  // Loaded at run time: the simulator is the other half of the stand-in. Tests may
  // plug another implementation of the same API with FAKE_OSASCRIPT_SIM_MODULE.
  const override = process.env.FAKE_OSASCRIPT_SIM_MODULE;
  const spec = override ? pathToFileURL(override).href : new URL(`../simulator${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url).href;
  const mod = (await import(spec)) as { MessagesSimulator: { open(dir: string): unknown } };
  return (await mod.MessagesSimulator.open(simDir)) as SimPort & { close(): unknown };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const simDir = process.env.IMESSAGE_SIM_DIR;
  if (!simDir) fail('fake osascript: IMESSAGE_SIM_DIR is not set (it names the simulator folder)');
  if (args[0] !== '-') fail(`fake osascript: only "osascript - <values…>" (script on stdin) is supported, got ${JSON.stringify(args[0] ?? '')}`);
  const argv = args.slice(1);
  const script = await readStdin();
  let modes: Directive[] = [];
  let modeError: string | null = null;
  try { modes = readModes(simDir, process.env); } catch (err) { modeError = (err as Error).message; }
  appendFileSync(join(simDir, INVOCATION_LOG), `${JSON.stringify({ at: Date.now(), pid: process.pid, argv, script, modes })}\n`);
  if (modeError) fail(modeError);

  const compiled = compile(script);
  if (!compiled.ok) return syntaxError(compiled.error.pos, compiled.error.message, compiled.error.osaNumber);
  if (modes.some((d) => d.kind === 'hang')) return hangForever(simDir);

  let sim: (SimPort & { close(): unknown }) | undefined;
  try {
    await execute(compiled.statements, {
      argv, modes,
      sim: async () => (sim ??= await openSim(simDir)),
      ...(process.env.FAKE_OSASCRIPT_HOME ? { home: process.env.FAKE_OSASCRIPT_HOME } : {}),
      flipDelayMs: Number(process.env.FAKE_OSASCRIPT_FLIP_MS ?? 100),
    });
  } catch (err) {
    if (!(err instanceof OsaRuntimeError)) throw err;
    // Not process.exit: the simulator must still be closed (and its pending flip written).
    process.stderr.write(`${err.pos.start}:${err.pos.end}: execution error: ${err.message} (${err.osaNumber})\n`);
    process.exitCode = 1;
  } finally {
    await sim?.close();
  }
}

main().catch((err: unknown) => fail(`fake osascript crashed: ${(err as Error)?.stack ?? String(err)}`));
