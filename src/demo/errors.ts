// A demo start-up problem the user can fix: one sentence and its advice
// (printed by the CLI's error reporter).
export class DemoError extends Error {
  constructor(message: string, readonly advice: string, readonly exitCode = 1) {
    super(message);
    this.name = 'DemoError';
  }
}
