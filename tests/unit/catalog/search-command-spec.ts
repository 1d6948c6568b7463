import { AvailableModel } from '../../../src/catalog/available-model.js';
import { ModelTag } from '../../../src/catalog/model-tag.js';
import { formatSearchResults } from '../../../src/cli/search-command.js';
import { formatBytes } from '../../../src/util/format.js';

function family(
  name: string,
  tags: [string, number | null][],
  features: string[] = [],
  downloads: number | null = null,
): AvailableModel {
  return new AvailableModel({
    name,
    features,
    downloads,
    tags: tags.map(([tag, size]) => new ModelTag(tag, size, { cloudOnly: size === null })),
  });
}

const models = [
  family('deepseek-v3.2', [['cloud', null]], ['tools', 'thinking'], 6988),
  family(
    'llama3.2',
    [
      ['1b', 1.3e9],
      ['3b', 2e9],
    ],
    ['tools'],
    50_800_000,
  ),
  family('nomic-embed-text', [['latest', 274e6]], ['embedding'], 48_500_000),
  family(
    'qwen3-coder',
    [
      ['30b', 19e9],
      ['480b-cloud', null],
    ],
    ['tools'],
    1_500_000,
  ),
  family('user/llama3.2-tools', [['latest', 2e9]]),
];

describe('Catalog search command', () => {
  it('prints one ranked line a model: name, sizes, features and pulls', () => {
    expect(formatSearchResults(models, 'llama')).toEqual([
      `llama3.2             ${formatBytes(1.3e9)} – ${formatBytes(2e9)} · tools · 50.8M pulls`,
      `user/llama3.2-tools  ${formatBytes(2e9)}`,
    ]);
  });

  it('says when a model only runs in the cloud, or also does', () => {
    expect(formatSearchResults(models, 'deepseek')).toEqual([
      'deepseek-v3.2  cloud only · tools, thinking · 7K pulls',
    ]);
    expect(formatSearchResults(models, 'qwen3-coder')).toEqual([
      `qwen3-coder  ${formatBytes(19e9)}, also in the cloud · tools · 1.5M pulls`,
    ]);
  });

  it('lists the most pulled first without a query, and says how many more there are', () => {
    const lines = formatSearchResults(models, '', 2);
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^llama3\.2 /);
    expect(lines[1]).toMatch(/^nomic-embed-text /);
    expect(lines[2]).toBe('… and 3 more');
  });

  it('says when nothing matches', () => {
    expect(formatSearchResults(models, ' zzz ')).toEqual(['No models match “zzz”.']);
    expect(formatSearchResults([], '')).toEqual(['The model catalog is empty.']);
  });

  it('writes pull counts the short way', () => {
    const counts: [number, string][] = [
      [1, '1 pull'],
      [950, '950 pulls'],
      [1_200, '1.2K pulls'],
      [6_988, '7K pulls'],
      [999_960, '1M pulls'],
      [48_500_000, '48.5M pulls'],
      [108_000_000, '108M pulls'],
      [2_100_000_000, '2.1B pulls'],
    ];
    for (const [downloads, text] of counts) {
      const [line] = formatSearchResults([family('m', [], [], downloads)], 'm');
      expect(line).withContext(String(downloads)).toBe(`m  ${text}`);
    }
  });
});
