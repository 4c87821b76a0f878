import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CONFIG_VARIABLES, type VariableSpec } from './config.schema.js';

interface DocumentedVariable {
  readonly name: string;
  readonly value: string;
  /** The `#` lines directly above the assignment, without the `#`. */
  readonly comment: string;
  readonly line: number;
}

/** `NAME=value` lines of a dotenv file, each with the comment block right above it. */
function parseEnvExample(text: string): DocumentedVariable[] {
  const variables: DocumentedVariable[] = [];
  let comment: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') {
      comment = [];
      return;
    }
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#+\s?/, ''));
      return;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match === null) throw new Error(`.env.example line ${index + 1} is neither a comment nor NAME=value: ${raw}`);
    variables.push({ name: match[1], value: match[2], comment: comment.join(' '), line: index + 1 });
    comment = [];
  });
  return variables;
}

// jest runs from the repository root (see jest.config.cjs).
const documented = parseEnvExample(readFileSync(join(process.cwd(), '.env.example'), 'utf8'));
const specs: readonly VariableSpec[] = CONFIG_VARIABLES;
const specByName = new Map(specs.map((spec) => [spec.name, spec]));
const documentedByName = new Map(documented.map((variable) => [variable.name, variable]));

describe('.env.example', () => {
  it('lists every configuration variable', () => {
    const missing = specs.map((spec) => spec.name).filter((name) => !documentedByName.has(name));
    expect(missing).toEqual([]);
  });

  it('lists no variable the configuration does not read', () => {
    const unknown = documented.map((variable) => variable.name).filter((name) => !specByName.has(name));
    expect(unknown).toEqual([]);
  });

  it('lists each variable once', () => {
    const names = documented.map((variable) => variable.name);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    expect(repeated).toEqual([]);
  });

  it('shows each default exactly as the configuration applies it, and no value where there is none', () => {
    const mismatches = documented
      .filter((variable) => specByName.has(variable.name))
      .map((variable) => ({
        name: variable.name,
        documented: variable.value,
        actual: specByName.get(variable.name)?.defaultValue ?? '',
      }))
      .filter((entry) => entry.documented !== entry.actual);
    expect(mismatches).toEqual([]);
  });

  it('leaves every secret empty', () => {
    const filled = documented
      .filter((variable) => specByName.get(variable.name)?.isSecret === true && variable.value !== '')
      .map((variable) => variable.name);
    expect(filled).toEqual([]);
  });

  it('describes each variable with its description from the schema', () => {
    const undescribed = documented
      .filter((variable) => {
        const spec = specByName.get(variable.name);
        return spec !== undefined && !variable.comment.includes(spec.description);
      })
      .map((variable) => `${variable.name} (line ${variable.line})`);
    expect(undescribed).toEqual([]);
  });

  it('says which processes require each variable that has no default', () => {
    const unexplained = documented
      .filter((variable) => {
        const spec = specByName.get(variable.name);
        return spec !== undefined && spec.defaultValue === undefined && !/Required by: \S/.test(variable.comment);
      })
      .map((variable) => variable.name);
    expect(unexplained).toEqual([]);
  });
});

describe('parseEnvExample', () => {
  // The checks above are only as good as the parser: it must not silently skip lines.
  it('reads assignments with the comment block directly above them', () => {
    const parsed = parseEnvExample('# header\n\n# first\n# second\nA=1\nB=\n');
    expect(parsed).toEqual([
      { name: 'A', value: '1', comment: 'first second', line: 5 },
      { name: 'B', value: '', comment: '', line: 6 },
    ]);
  });

  it('rejects a line that is neither a comment nor an assignment', () => {
    expect(() => parseEnvExample('export A=1\n')).toThrow(/line 1/);
  });
});
