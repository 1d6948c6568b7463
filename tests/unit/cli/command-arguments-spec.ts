import { CommandArguments } from '../../../src/cli/command-arguments.js';
import { CommandError } from '../../../src/cli/errors.js';

function usageError(run: () => unknown): CommandError {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error;
    throw error;
  }
  throw new Error('no CommandError');
}

describe('CLI CommandArguments', () => {
  it('takes positionals and options in any order, in both spellings', () => {
    const spaced = CommandArguments.parse(['--connection', 'Lab', 'qwen3:8b'], ['connection']);
    expect(spaced.positionals).toEqual(['qwen3:8b']);
    expect(spaced.option('connection')).toBe('Lab');
    const joined = CommandArguments.parse(['qwen3:8b', '--connection=http://a:1'], ['connection']);
    expect(joined.single('name?')).toBe('qwen3:8b');
    expect(joined.option('connection')).toBe('http://a:1');
    expect(CommandArguments.parse([], ['connection']).option('connection')).toBeNull();
  });

  it('takes the flags a command names, without a value, once each', () => {
    const parsed = CommandArguments.parse(
      ['--json', 'x', '--connection', 'Lab'],
      ['connection'],
      ['json', 'outdated'],
    );
    expect(parsed.flag('json')).toBeTrue();
    expect(parsed.flag('outdated')).toBeFalse();
    expect(parsed.positionals).toEqual(['x']);
    expect(parsed.option('connection')).toBe('Lab');
    expect(
      usageError(() => CommandArguments.parse(['--json', '--json'], [], ['json'])).message,
    ).toBe('--json is given more than once');
    expect(usageError(() => CommandArguments.parse(['--json=yes'], [], ['json'])).status).toBe(2);
    expect(usageError(() => CommandArguments.parse(['--all'], [], ['json'])).status).toBe(2);
  });

  it('ends options at --', () => {
    const parsed = CommandArguments.parse(['--', '--connection'], ['connection']);
    expect(parsed.positionals).toEqual(['--connection']);
    expect(parsed.option('connection')).toBeNull();
  });

  it('refuses unknown, repeated and empty options with status 2', () => {
    const unknown = usageError(() => CommandArguments.parse(['--verbose=1'], ['connection']));
    expect(unknown.message).toBe('unknown option “--verbose”');
    expect(unknown.status).toBe(2);
    expect(usageError(() => CommandArguments.parse(['-c', 'x'], ['connection'])).message).toBe(
      'unknown option “-c”',
    );
    expect(
      usageError(() => CommandArguments.parse(['--connection=a', '--connection=b'], ['connection']))
        .message,
    ).toBe('--connection is given more than once');
    expect(usageError(() => CommandArguments.parse(['--connection'], ['connection'])).message).toBe(
      '--connection needs a value',
    );
    expect(
      usageError(() => CommandArguments.parse(['--connection= '], ['connection'])).status,
    ).toBe(2);
  });

  it('wants exactly one name, or none', () => {
    const none = CommandArguments.parse([], []);
    expect(usageError(() => none.single('pull needs a name')).message).toBe('pull needs a name');
    const two = CommandArguments.parse(['a', 'b'], []);
    expect(usageError(() => two.single('x')).message).toBe(
      'one name at a time, please (got “a”, “b”)',
    );
    expect(() => none.none('list')).not.toThrow();
    expect(usageError(() => two.none('list')).message).toBe('list takes no arguments (got “a”)');
  });
});
