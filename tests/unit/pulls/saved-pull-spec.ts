import { JsonFileError } from '../../../src/util/errors.js';
import { checkSavedPull, parseSavedPulls, type SavedPull } from '../../../src/pulls/saved-pull.js';

const GOOD: SavedPull = {
  id: 'a1',
  model: 'llama3.2:latest',
  connectionId: 'c1',
  connectionUrl: 'http://127.0.0.1:11434',
  status: 'pulling',
  error: null,
  statusLine: 'pulling dde5aa3fc5ff',
  completed: 500,
  total: 1000,
  retryCount: 1,
  startedAt: '2026-01-01T10:00:00.000Z',
  layers: [{ digest: `sha256:${'d'.repeat(64)}`, total: 1000, completed: 500 }],
  sizeHint: null,
};

function reason(value: unknown): string | null {
  const check = checkSavedPull(value);
  return 'error' in check ? check.error : null;
}

describe('Pulls SavedPull', () => {
  it('accepts what Paddock writes, unchanged', () => {
    expect(checkSavedPull(GOOD)).toEqual({ entry: GOOD });
    expect(parseSavedPulls(JSON.parse(JSON.stringify([GOOD])))).toEqual({
      entries: [GOOD],
      problems: [],
    });
  });

  it('fills in what an older or hand-made entry leaves out, and evens out what is harmless', () => {
    const bare: Partial<SavedPull> = { ...GOOD };
    delete bare.layers;
    delete bare.sizeHint;
    delete bare.statusLine;
    delete bare.retryCount;
    const check = checkSavedPull({
      ...bare,
      id: ' a1 ',
      model: 'LLAMA3.2',
      completed: 2000,
      startedAt: '2026-01-01T11:00:00+01:00',
      extra: true,
    });
    expect(check).toEqual({
      entry: {
        ...GOOD,
        model: 'LLAMA3.2:latest',
        completed: 2000,
        total: 2000,
        statusLine: '',
        retryCount: 0,
        layers: [],
      },
    });
    expect(checkSavedPull({ ...GOOD, retryCount: 99 })).toEqual({
      entry: { ...GOOD, retryCount: 5 },
    });
  });

  it('says why an entry cannot be used', () => {
    expect(reason(null)).toBe('it is not an object');
    expect(reason([GOOD])).toBe('it is not an object');
    expect(reason({ ...GOOD, id: '' })).toBe('it has no id');
    expect(reason({ ...GOOD, model: 'bad name' })).toBe('it has no valid model name');
    expect(reason({ ...GOOD, connectionId: 7 })).toBe('it has no connection');
    expect(reason({ ...GOOD, connectionUrl: null })).toBe('it has no server address');
    expect(reason({ ...GOOD, status: 'downloading' })).toBe('its status is unknown');
    expect(reason({ ...GOOD, error: {} })).toBe('its error is not text');
    expect(reason({ ...GOOD, statusLine: 5 })).toBe('its status line is not text');
    expect(reason({ ...GOOD, completed: -1 })).toBe('it has no byte counts');
    expect(reason({ ...GOOD, total: 1.5 })).toBe('it has no byte counts');
    expect(reason({ ...GOOD, total: '1000' })).toBe('it has no byte counts');
    expect(reason({ ...GOOD, retryCount: 'x' })).toBe('its retry count is not a number');
    expect(reason({ ...GOOD, startedAt: 'yesterday' })).toBe('it has no start time');
    expect(reason({ ...GOOD, sizeHint: -5 })).toBe('its expected size is not a number');
    expect(reason({ ...GOOD, layers: {} })).toBe('its layers are not a list');
    expect(reason({ ...GOOD, layers: [7] })).toBe('a layer is not an object');
    expect(reason({ ...GOOD, layers: [{ total: 1, completed: 1 }] })).toBe('a layer has no digest');
    expect(reason({ ...GOOD, layers: [{ digest: 'sha256:x', total: 1 }] })).toBe(
      'a layer has no byte counts',
    );
    expect(reason({ ...GOOD, error: 'x'.repeat(5000) })).toBe('its error is not text');
  });

  it('reads a file entry by entry, leaving out the bad ones and repeated ids', () => {
    const data = [GOOD, { ...GOOD, status: 'nope' }, GOOD, { ...GOOD, id: 'b2' }];
    expect(parseSavedPulls(data)).toEqual({
      entries: [GOOD, { ...GOOD, id: 'b2' }],
      problems: [
        'entry 2 was left out because its status is unknown',
        'entry 3 was left out because its id is used twice',
      ],
    });
  });

  it('refuses a file that is not a list', () => {
    expect(() => parseSavedPulls({ pulls: [] })).toThrowError(
      JsonFileError,
      'it is not a list of downloads',
    );
  });
});
