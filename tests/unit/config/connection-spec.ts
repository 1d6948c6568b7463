import {
  checkStoredConnection,
  cleanConnectionName,
  parseContextLengthText,
  toStoredConnection,
} from '../../../src/config/connection.js';

function errorOf(value: unknown): string {
  const check = checkStoredConnection(value);
  if ('connection' in check) throw new Error(`accepted ${JSON.stringify(value)}`);
  return check.error;
}

describe('Config Connection', () => {
  it('reads a stored entry, normalising its address and name', () => {
    expect(
      checkStoredConnection({ id: ' a ', name: '  Home\n GPU ', url: 'localhost', default: true }),
    ).toEqual({
      connection: { id: 'a', name: 'Home GPU', url: 'http://localhost:11434', isDefault: true },
    });
  });

  it('takes a missing "default" as false and ignores unknown fields', () => {
    const check = checkStoredConnection({ id: 'a', name: 'A', url: 'a.example', color: 'red' });
    expect(check).toEqual({
      connection: { id: 'a', name: 'A', url: 'http://a.example:11434', isDefault: false },
    });
  });

  it('says what is wrong with an entry', () => {
    expect(errorOf(null)).toBe('it is not a connection');
    expect(errorOf([1])).toBe('it is not a connection');
    expect(errorOf({ name: 'A', url: 'a.example' })).toBe('it has no id');
    expect(errorOf({ id: '', name: 'A', url: 'a.example' })).toBe('it has no id');
    // Downloads keep the id in loading.json, which takes no longer ids.
    expect(errorOf({ id: 'x'.repeat(201), name: 'A', url: 'a.example' })).toBe(
      'its id is longer than 200 characters',
    );
    const longest = checkStoredConnection({
      id: ` ${'x'.repeat(200)} `,
      name: 'A',
      url: 'a.example',
    });
    expect('connection' in longest).toBeTrue();
    expect(errorOf({ id: 'a', name: ' ', url: 'a.example' })).toBe('it has no name');
    expect(errorOf({ id: 'a', name: 3, url: 'a.example' })).toBe('it has no name');
    expect(errorOf({ id: 'a', name: 'A' })).toBe('it has no address');
    expect(errorOf({ id: 'a', name: 'A', url: 'http://a.example:70000' })).toBe(
      'The port must be a number from 1 to 65535.',
    );
    expect(errorOf({ id: 'a', name: 'A', url: 'a.example', default: 1 })).toBe(
      'its “default” is neither true nor false',
    );
  });

  it('writes the stored form', () => {
    expect(
      toStoredConnection({ id: 'a', name: 'A', url: 'http://a.example:11434', isDefault: true }),
    ).toEqual({ id: 'a', name: 'A', url: 'http://a.example:11434', default: true });
  });

  it('reads and writes whether a connection has an API key, never guessing it', () => {
    const entry = { id: 'a', name: 'A', url: 'a.example' };
    const read = (apiKey: unknown) => checkStoredConnection({ ...entry, apiKey });
    expect(read(true)).toEqual({
      connection: {
        id: 'a',
        name: 'A',
        url: 'http://a.example:11434',
        isDefault: false,
        hasApiKey: true,
      },
    });
    expect(read(false)).toEqual({
      connection: {
        id: 'a',
        name: 'A',
        url: 'http://a.example:11434',
        isDefault: false,
        hasApiKey: false,
      },
    });
    // Not known: the keyring is asked.
    for (const unknown of [undefined, 'sk-123', 1])
      expect(Object.keys((read(unknown) as { connection: object }).connection)).not.toContain(
        'hasApiKey',
      );
    const connection = { id: 'a', name: 'A', url: 'http://a.example:11434', isDefault: true };
    expect(toStoredConnection({ ...connection, hasApiKey: false }).apiKey).toBeFalse();
    expect(toStoredConnection({ ...connection, hasApiKey: true }).apiKey).toBeTrue();
    expect(Object.keys(toStoredConnection(connection))).not.toContain('apiKey');
  });

  it('cleans names', () => {
    expect(cleanConnectionName('  a \t b\n')).toBe('a b');
  });

  it('reads a context length as people type it, k being 1024 tokens', () => {
    expect(parseContextLengthText(' 8192 ')).toEqual({ tokens: 8192 });
    expect(parseContextLengthText('32k')).toEqual({ tokens: 32768 });
    expect(parseContextLengthText('128 K')).toEqual({ tokens: 131072 });
    expect(parseContextLengthText('')).toEqual({ tokens: null });
    for (const text of ['0', 'lots', '8.5k', '-1', '99999999k'])
      expect(parseContextLengthText(text)).toEqual({ error: jasmine.stringContaining('“32k”') });
  });

  it('keeps a stored context length and writes it back', () => {
    const entry = { id: 'a', name: 'A', url: 'http://a:11434', default: true, contextLength: 8192 };
    const check = checkStoredConnection(entry);
    expect('connection' in check && check.connection.contextLength).toBe(8192);
    if ('connection' in check) expect(toStoredConnection(check.connection)).toEqual(entry);
  });
});
