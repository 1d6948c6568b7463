import GLib from 'gi://GLib';

import { formatModelTable } from '../../../src/cli/list-command.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { formatBytes } from '../../../src/util/text.js';

function model(name: string, size: number, modified: string, params = '8.2B', quant = 'Q4_K_M') {
  return {
    name,
    model: name,
    modified_at: modified,
    size,
    digest: 'a'.repeat(64),
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'qwen3',
      families: null,
      parameter_size: params,
      quantization_level: quant,
    },
  } as InstalledModel;
}

describe('CLI formatModelTable', () => {
  const now = GLib.DateTime.new_from_iso8601('2025-06-10T12:00:00Z', null)!;

  it('lines the columns up under their headings, in the order given', () => {
    const lines = formatModelTable(
      [
        model('qwen3:8b', 5.2e9, '2025-06-10T08:00:00Z'),
        model('nomic-embed-text:latest', 274e6, '2025-04-01T08:00:00Z', '137M', 'F16'),
      ],
      now,
    );
    const size = formatBytes(5.2e9);
    expect(lines).toEqual([
      'NAME                      SIZE       PARAMETERS   QUANTIZATION   MODIFIED',
      `qwen3:8b                  ${size.padEnd(8)}   8.2B         Q4_K_M         today`,
      `nomic-embed-text:latest   ${formatBytes(274e6)}   137M         F16            2 months ago`,
    ]);
  });

  it('shows a dash for what the server left out', () => {
    const [, line] = formatModelTable([model('x:latest', 1000, 'not a date', '', '')], now);
    expect(line).toBe(`x:latest   ${formatBytes(1000).padEnd(4)}   -            -              -`);
  });

  it('keeps the columns lined up when the server’s text holds escape sequences', () => {
    const lines = formatModelTable(
      [
        model(
          'qwen3:8b',
          5.2e9,
          '2025-06-10T08:00:00Z',
          '8.2B\u001b[2J\u001b]8;;x\u0007',
          'Q4\r_K_M',
        ),
        model('a:1', 5.2e9, '2025-06-10T08:00:00Z'),
      ],
      now,
    );
    const column = lines[0].indexOf('QUANTIZATION');
    expect(lines[1].slice(column)).toMatch(/^Q4_K_M +today$/);
    expect(lines[2].slice(column)).toMatch(/^Q4_K_M +today$/);
  });
});
