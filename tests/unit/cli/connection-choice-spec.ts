import { CommandError } from '../../../src/cli/errors.js';
import { chooseConnection, type ChosenConnection } from '../../../src/cli/connection-choice.js';

const local = { id: '1', name: 'Local Ollama', url: 'http://127.0.0.1:11434' };
const lab = { id: '2', name: 'Lab', url: 'https://lab.example.org:443/ollama' };

function store(items: ChosenConnection[], defaultItem: ChosenConnection | null = items[0] ?? null) {
  return { list: () => items, getDefault: () => defaultItem };
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError && error.status === 1) return error.message;
    throw error;
  }
  throw new Error('no CommandError');
}

describe('CLI chooseConnection', () => {
  const both = store([local, lab]);

  it('takes the default connection without --connection', () => {
    expect(chooseConnection(store([local, lab], lab), null)).toBe(lab);
    expect(failure(() => chooseConnection(store([]), null))).toBe(
      'there is no connection to a server — add it in Preferences → Connections',
    );
  });

  it('finds a connection by its name, ignoring case', () => {
    expect(chooseConnection(both, 'lab')).toBe(lab);
    expect(chooseConnection(both, ' LOCAL ollama ')).toBe(local);
  });

  it('finds a connection by its address, written any way OLLAMA_HOST may be', () => {
    for (const address of ['127.0.0.1', ':11434', 'http://127.0.0.1:11434/', '0.0.0.0:11434'])
      expect(chooseConnection(both, address)).withContext(address).toBe(local);
    expect(chooseConnection(both, 'https://LAB.example.org/ollama/')).toBe(lab);
  });

  it('says what to do about an address that is not saved', () => {
    expect(failure(() => chooseConnection(both, 'http://127.0.0.1:9/'))).toBe(
      'no connection with the address http://127.0.0.1:9 — add it in Preferences → Connections',
    );
    expect(failure(() => chooseConnection(both, 'ftp://lab'))).toMatch(
      /^“ftp:\/\/lab” is not the name of a connection, nor an address: “ftp” addresses/,
    );
  });

  it('lists the connections when a name matches none', () => {
    expect(failure(() => chooseConnection(both, 'home'))).toBe(
      'no connection named “home”; the connections are “Local Ollama” (http://127.0.0.1:11434), “Lab” (https://lab.example.org:443/ollama)',
    );
  });
});
