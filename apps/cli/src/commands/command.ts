import type { Logger } from 'pino';

import type { MendConfig } from '@mend/core';

export interface CommandContext {
  readonly config: MendConfig;
  readonly logger: Logger;
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** What the operator reads; logs go to stderr as JSON. */
  readonly print: (line: string) => void;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly needs: {
    readonly database?: boolean;
    readonly ownerDatabase?: boolean;
    readonly adminDatabase?: boolean;
    /** MASTER_KEY (field encryption), e.g. to seed encrypted rows. */
    readonly masterKey?: boolean;
  };
  readonly options?: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;
  run(context: CommandContext): Promise<number>;
}

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function requireOption(context: CommandContext, name: string): string {
  const value = context.options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}
