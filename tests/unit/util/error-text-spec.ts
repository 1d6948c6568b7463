import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { CatalogFetchError } from '../../../src/catalog/errors.js';
import { CommandError } from '../../../src/cli/errors.js';
import { KeyringError } from '../../../src/config/errors.js';
import { NetworkError } from '../../../src/ollama/errors.js';
import { errorText, JsonFileError } from '../../../src/util/errors.js';

const PLAIN = 'Something went wrong inside Paddock. The details are in the log.';

describe('errorText', () => {
  let logged: jasmine.Spy<(error: unknown) => void>;
  const text = (error: unknown) => errorText(error, logged);

  beforeEach(() => {
    logged = jasmine.createSpy('log');
  });

  it('gives the message of Paddock’s own errors as it is', () => {
    for (const error of [
      new NetworkError('refused', { host: '192.168.1.5:11434' }),
      new JsonFileError('it is not UTF-8 text'),
      new KeyringError('Local Ollama', 'the collection is locked'),
      new CommandError('no connection is called “x”'),
      new CatalogFetchError('example.com refused the connection'),
    ])
      expect(text(error)).withContext(error.name).toBe(error.message);
    expect(logged).not.toHaveBeenCalled();
  });

  it('gives the message of a GLib error, and of an Error thrown with words', () => {
    const glib = GLib.Error.new_literal(
      Gio.io_error_quark(),
      Gio.IOErrorEnum.NOT_FOUND,
      'No such file',
    );
    expect(text(glib)).toBe('No such file');
    expect(text(new Error('the keyring is locked'))).toBe('the keyring is locked');
    expect(logged).not.toHaveBeenCalled();
  });

  it('says a plain sentence for a bug, never “TypeError: …”, and logs the details', () => {
    const bugs: unknown[] = [
      new TypeError('x is undefined'),
      new RangeError('invalid array length'),
      new SyntaxError('JSON.parse: unexpected character'),
      'a thrown string',
      undefined,
      null,
      { message: 'an object that only looks like an error' },
    ];
    for (const bug of bugs) expect(text(bug)).withContext(String(bug)).toBe(PLAIN);
    expect(logged).toHaveBeenCalledTimes(bugs.length);
    expect(logged.calls.argsFor(0)).toContain(bugs[0]);
    expect(logged.calls.argsFor(3)).toContain('a thrown string');
  });
});
