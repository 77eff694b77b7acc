// The wizard asks through this interface: inquirer on a TTY, flags (with
// defaults) when there is none, and scripted answers in tests.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts';

export interface Choice { name: string; value: string; checked?: boolean }

export interface Prompter {
  /** Whether a person answers (a wrong answer is asked again) or flags do (a wrong answer is the end). */
  readonly interactive: boolean;
  input(key: string, message: string, def?: string): Promise<string>;
  secret(key: string, message: string): Promise<string>;
  confirm(key: string, message: string, def: boolean): Promise<boolean>;
  select(key: string, message: string, choices: Choice[], def?: string): Promise<string>;
  checkbox(key: string, message: string, choices: Choice[]): Promise<string[]>;
}

export const ttyPrompter: Prompter = {
  interactive: true,
  input: (_k, message, def) => input({ message, ...(def !== undefined ? { default: def } : {}) }),
  secret: (_k, message) => password({ message, mask: '•' }),
  confirm: (_k, message, def) => confirm({ message, default: def }),
  select: (_k, message, choices, def) => select({ message, choices, ...(def !== undefined ? { default: def } : {}) }),
  checkbox: (_k, message, choices) => checkbox({ message, choices }),
};

/** Answers from flags; a missing answer takes the default, or is an error when there is none. */
export function flagPrompter(flags: Record<string, string | string[] | boolean | undefined>): Prompter {
  const need = (key: string, def?: string): string => {
    const v = flags[key];
    if (typeof v === 'string') return v;
    if (def !== undefined) return def;
    throw Object.assign(new Error(`--${key} is required when there is no terminal to ask`), { advice: 'Run `imessage-bridge init --help` for every flag.' });
  };
  return {
    interactive: false,
    input: async (k, _m, def) => need(k, def),
    secret: async (k) => need(k),
    confirm: async (k, _m, def) => (typeof flags[k] === 'boolean' ? (flags[k] as boolean) : def),
    select: async (k, _m, choices, def) => {
      const v = need(k, def ?? choices[0]?.value);
      if (!choices.some((c) => c.value === v)) throw new Error(`--${k} must be one of ${choices.map((c) => c.value).join(', ')}`);
      return v;
    },
    checkbox: async (k) => {
      const v = flags[k];
      return Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').filter(Boolean) : [];
    },
  };
}
