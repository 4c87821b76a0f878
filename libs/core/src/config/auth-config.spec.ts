import { randomBytes } from 'node:crypto';

import { ConfigError, loadConfig } from './config.js';

function problems(env: NodeJS.ProcessEnv, needs = {}): readonly string[] {
  try {
    loadConfig(env, needs);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('sign-in configuration', () => {
  it('defaults: 600 s access tokens, production password hashing, a local public URL, no JWT secret', () => {
    const config = loadConfig({});
    expect(config.auth).toEqual({
      jwtSecret: undefined,
      accessTokenTtlSeconds: 600,
      passwordHashProfile: 'production',
    });
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('requires JWT_SECRET where asked (the API), as base64 of at least 32 bytes, never echoing it', () => {
    expect(problems({}, { jwtSecret: true })).toEqual([expect.stringContaining('JWT_SECRET is required')]);
    const short = randomBytes(16).toString('base64');
    const refused = problems({ JWT_SECRET: short });
    expect(refused).toEqual([expect.stringContaining('at least 32 bytes')]);
    expect(refused.join(' ')).not.toContain(short);
    const secret = randomBytes(48);
    expect(loadConfig({ JWT_SECRET: secret.toString('base64') }).auth.jwtSecret?.equals(secret)).toBe(true);
  });

  it('caps access tokens at 10 minutes', () => {
    expect(problems({ ACCESS_TOKEN_TTL_SECONDS: '601' })).toHaveLength(1);
    expect(loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '300' }).auth.accessTokenTtlSeconds).toBe(300);
  });

  it('refuses the test password-hash profile in production', () => {
    expect(problems({ NODE_ENV: 'production', PASSWORD_HASH_PROFILE: 'test' })).toEqual([
      expect.stringContaining('PASSWORD_HASH_PROFILE=test'),
    ]);
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_PROFILE: 'test' }).auth.passwordHashProfile).toBe('test');
    expect(problems({ PASSWORD_HASH_PROFILE: 'fast' })).toHaveLength(1);
  });

  it('takes PUBLIC_URL as an http(s) URL without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://mend.example.org/' }).publicUrl).toBe('https://mend.example.org');
    expect(problems({ PUBLIC_URL: 'javascript:alert(1)' })).toHaveLength(1);
    expect(problems({ PUBLIC_URL: 'ftp://mend.example.org' })).toHaveLength(1);
  });
});
