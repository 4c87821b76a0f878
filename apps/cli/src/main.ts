import 'reflect-metadata';

import { parseArgs } from 'node:util';

import { ConfigError, createLogger, loadConfig } from '@mend/core';

import { auditSealCommand, auditVerifyCommand } from './commands/audit.commands.js';
import { clinicCreateCommand, seedDemoCommand } from './commands/clinic.commands.js';
import { UsageError, type CliCommand } from './commands/command.js';
import {
  checkDriftCommand,
  dbSetupCommand,
  migrateCommand,
  migrateRevertCommand,
} from './commands/database.commands.js';
import { keysRotateCommand } from './commands/keys.commands.js';
import { seedScaleCommand } from './commands/scale.commands.js';
import { userInviteCommand, userResetLinkCommand } from './commands/user.commands.js';

const COMMANDS: readonly CliCommand[] = [
  dbSetupCommand,
  migrateCommand,
  migrateRevertCommand,
  checkDriftCommand,
  clinicCreateCommand,
  userInviteCommand,
  userResetLinkCommand,
  seedDemoCommand,
  seedScaleCommand,
  auditVerifyCommand,
  auditSealCommand,
  keysRotateCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Each command reads its settings from the environment (see .env.example).',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  try {
    const { values } = parseArgs({
      args: [...rest],
      options: command.options ?? {},
      strict: true,
      allowPositionals: false,
    });
    const config = loadConfig(process.env, command.needs);
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'mend-cli');
    return await command.run({
      config,
      logger,
      options: values,
      print: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      process.stderr.write(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    const code = (error as { code?: unknown }).code;
    process.stderr.write(
      `${command.name} failed: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
