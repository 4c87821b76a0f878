import { ConfigError, loadConfig, type ConfigNeeds, type MendConfig } from './config.js';

/** Loads the configuration or prints every problem (no stack trace) and exits. */
export function loadConfigOrExit(needs: ConfigNeeds): MendConfig {
  try {
    return loadConfig(process.env, needs);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }
}
