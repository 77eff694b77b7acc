// Sends one message (text and/or one file) into Messages through AppleScript,
// one at a time. Whether it actually arrived is confirmed from chat.db by the
// outbox; this only reports what osascript said.
import { fileRefused, SendError, sendErrorFromStderr, timeoutError, tooLong } from './errors.ts';
import { planLadder, type Step } from './ladder.ts';
import { runOsascript } from './runOsascript.ts';
import { scriptFor, type Payload } from './scripts.ts';
import { AttachmentStager } from './staging.ts';
import { chatGuidProblem, cleanText, SEND_PART_BYTES } from './validate.ts';

export interface SendRequest {
  chatGuid: string;
  isGroup: boolean;
  /** One-to-one recipient, for the participant/buddy fallbacks. Defaults to the guid's identifier. */
  handle?: string;
  text?: string;
  filePath?: string;
}

export type SendAttempt =
  | { ok: true; strippedNul: boolean; replacedSurrogates?: boolean; stagedFile?: string }
  | { ok: false; error: SendError };

export interface SenderOptions {
  /** The osascript binary (a path, or a name looked up on PATH). */
  osascript?: string;
  home: string;
  timeoutMs: number;
  allowedFileDirs: string[];
  maxFileBytes: number;
  /** How long staged attachment copies are kept; default 60 s. */
  cleanupAfterMs?: number;
  /** Pause before the first fallback after -1728; default 1 s. */
  retryDelayMs?: number;
  env?: NodeJS.ProcessEnv;
}

type StepResult = { ok: true; step: Step } | { ok: false; error: SendError };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class AppleScriptSender {
  private readonly stager: AttachmentStager;
  private readonly swept: Promise<unknown>;
  /** One send at a time: each send waits for the previous one. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: SenderOptions) {
    this.stager = new AttachmentStager({
      home: o.home, allowedDirs: o.allowedFileDirs, maxBytes: o.maxFileBytes, cleanupAfterMs: o.cleanupAfterMs ?? 60_000,
    });
    this.swept = this.stager.sweep().catch(() => 0);
  }

  send(req: SendRequest): Promise<SendAttempt> {
    const run = this.tail.then(() => this.sendNow(req));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.tail;
    this.stager.dispose();
  }

  private async sendNow(req: SendRequest): Promise<SendAttempt> {
    await this.swept;
    // A last guard for callers that did not validate (the core does): a bad
    // recipient would only fail after the confirm timeout.
    const bad = chatGuidProblem(req.chatGuid);
    if (bad) return { ok: false, error: new SendError({ code: 'bad_recipient', message: bad.message, advice: bad.advice }) };
    // argv can carry neither NUL nor a lone surrogate: NULs are dropped, lone
    // surrogates become U+FFFD, and the caller is told either way.
    const cleaned = req.text === undefined ? undefined : cleanText(req.text);
    const text = cleaned?.text;
    const strippedNul = cleaned?.strippedNul ?? false;
    const replacedSurrogates = cleaned?.replacedSurrogates ?? false;
    const hasText = text !== undefined && text !== '';
    if (!hasText && req.filePath === undefined) {
      return { ok: false, error: new SendError({ code: 'unknown', message: strippedNul ? 'nothing to send: the text held only NUL characters' : 'nothing to send: no text and no file', advice: 'Give a text or a file to send.' }) };
    }
    // Refused before spawning: past the argv limit spawn throws E2BIG.
    if (hasText && Buffer.byteLength(text, 'utf8') > SEND_PART_BYTES) return { ok: false, error: tooLong(Buffer.byteLength(text, 'utf8'), SEND_PART_BYTES) };
    let staged: string | undefined;
    if (req.filePath !== undefined) {
      try { staged = await this.stager.stage(req.filePath); } catch (err) {
        return { ok: false, error: err instanceof SendError ? err : fileRefused(String(err), 'Check the file path.') };
      }
    }
    const parts: { payload: Payload; value: string }[] = [];
    if (hasText) parts.push({ payload: 'text', value: text });
    if (staged !== undefined) parts.push({ payload: 'file', value: staged });

    let winner: Step | undefined;
    for (const [i, part] of parts.entries()) {
      // Later parts go straight to the form that worked for the first.
      const steps = winner ? [{ ...winner, key: { ...winner.key, payload: part.payload }, delayBeforeMs: 0 }] : planLadder(req, part.payload, this.o.retryDelayMs ?? 1000);
      const r = await this.climb(steps, part.value);
      if (!r.ok) {
        if (staged !== undefined) await this.releaseStaged(staged, r.error);
        if (i > 0) r.error.message = `the text was sent, but the file was not: ${r.error.message}`;
        return { ok: false, error: r.error };
      }
      winner = r.step;
    }
    if (staged !== undefined) this.stager.scheduleRemoval(staged);
    const done: SendAttempt = { ok: true, strippedNul, ...(replacedSurrogates ? { replacedSurrogates } : {}) };
    return staged === undefined ? done : { ...done, stagedFile: staged };
  }

  /** Try each step while Messages answers -1728 (nothing was sent); stop at anything else. */
  private async climb(steps: Step[], value: string): Promise<StepResult> {
    let last: SendError | undefined;
    for (const step of steps) {
      if (step.delayBeforeMs > 0) await sleep(step.delayBeforeMs);
      const res = await runOsascript({
        binary: this.o.osascript ?? 'osascript', script: scriptFor(step.key), args: [step.target, value],
        timeoutMs: this.o.timeoutMs, env: this.o.env,
      });
      if (res.timedOut) return { ok: false, error: timeoutError(this.o.timeoutMs) };
      if (res.spawnError) {
        if (res.spawnError.code === 'E2BIG') return { ok: false, error: tooLong(Buffer.byteLength(value, 'utf8'), SEND_PART_BYTES) };
        return { ok: false, error: new SendError({
          code: 'unknown', message: `could not start ${this.o.osascript ?? 'osascript'}: ${res.spawnError.code ?? res.spawnError.message}`,
          advice: 'Sending needs macOS with /usr/bin/osascript (tests and demo put the fake osascript on PATH).',
        }) };
      }
      if (res.exitCode === 0) return { ok: true, step };
      last = sendErrorFromStderr(res.stderr);
      if (last.code !== 'not_found') return { ok: false, error: last };
    }
    return { ok: false, error: last ?? sendErrorFromStderr('') };
  }

  private async releaseStaged(staged: string, error: SendError): Promise<void> {
    // After a timeout Messages may still read the copy; otherwise it never will.
    if (error.code === 'timeout') this.stager.scheduleRemoval(staged);
    else await this.stager.discard(staged);
  }
}
