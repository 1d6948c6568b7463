import { AvailableModel } from '../../../src/catalog/available-model.js';
import { parseCatalog } from '../../../src/catalog/catalog-parser.js';
import { ModelTag } from '../../../src/catalog/model-tag.js';
import { formatSearchResults } from '../../../src/cli/search-command.js';
import { formatBytes } from '../../../src/util/text.js';
import { fixtureJson } from './catalog-fixtures.js';

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

function named(name: string, description = '', downloads: number | null = null): AvailableModel {
  return new AvailableModel({ name, description, downloads });
}

// A hand-made catalog, deliberately not in any useful order.
const llamas = [
  named('codellama', 'Code generation on top of Llama 2.', 3_800_000),
  named('llama3.2-vision', 'Image reasoning.', 3_400_000),
  named('tinyllama', 'A compact 1.1B model.', 3_200_000),
  named('mistral', 'The 7B model by Mistral AI, a llama competitor.', 23_500_000),
  named('llama3', 'Meta Llama 3.', 13_200_000),
  named('artifish/llama3.2-uncensored', '', 817_200),
  named('llama', 'The original.', 10),
  named('llama3.1', 'State of the art.', 108_000_000),
  named('llama3.2', 'Small models.', 50_800_000),
  named('phi3', 'Lightweight.', 15_300_000),
  named('LLaMA-Pro', 'An expansion of Llama.', null),
];

/** The model names of the lines printed (names hold no spaces). */
function namesOf(lines: string[]): string[] {
  return lines.map((line) => line.split(' ')[0]);
}

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

  it('ranks exact name, then prefix (shorter first), then substring, then description', () => {
    expect(namesOf(formatSearchResults(llamas, 'llama'))).toEqual([
      // Exact.
      'llama',
      // Prefix: shorter first, then by name.
      'llama3',
      'llama3.1',
      'llama3.2',
      'LLaMA-Pro',
      'llama3.2-vision',
      // Substring: the same rules.
      'codellama',
      'tinyllama',
      'artifish/llama3.2-uncensored',
      // Description only.
      'mistral',
    ]);
  });

  it('breaks ties by name, as the Add Model dialog does, not by pulls', () => {
    // Changed with the switch to the dialog's ranking (SearchIndex): the command used to
    // put the more pulled of two names of a length first (qwen3, then qwen2).
    const qwens = [named('qwen3', '', 1_000_000), named('qwen2', '', 10)];
    expect(namesOf(formatSearchResults(qwens, 'qwen'))).toEqual(['qwen2', 'qwen3']);
  });

  it('ignores case and extra spaces', () => {
    expect(formatSearchResults(llamas, 'LlAmA3.2')).toEqual(
      formatSearchResults(llamas, 'llama3.2'),
    );
    expect(namesOf(formatSearchResults(llamas, '  STATE   of '))).toEqual(['llama3.1']);
    expect(namesOf(formatSearchResults(llamas, 'TINY'))).toEqual(['tinyllama']);
  });

  it('ranks a catalog as the loader reads it', () => {
    const { models: loaded } = parseCatalog(fixtureJson('library.json'));
    expect(namesOf(formatSearchResults(loaded, 'llama'))).toEqual([
      'llama3.2',
      'aha2025/llama-joycaption-beta-one-hf-llava',
    ]);
  });

  it('lists the catalog in its order without a query, and says how many more there are', () => {
    // Changed with the switch to the dialog's ranking (SearchIndex): without a query the
    // dialog keeps the catalog's order; the command used to put the most pulled first
    // (llama3.2, nomic-embed-text).
    const lines = formatSearchResults(models, '', 2);
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^deepseek-v3\.2 /);
    expect(lines[1]).toMatch(/^llama3\.2 /);
    expect(lines[2]).toBe('… and 3 more');
    expect(formatSearchResults(models, '   ', 20).length).toBe(models.length);
  });

  it('counts every match past the limit', () => {
    const lines = formatSearchResults(llamas, 'llama', 3);
    expect(namesOf(lines)).toEqual(['llama', 'llama3', 'llama3.1', '…']);
    expect(lines[3]).toBe('… and 7 more');
    // At least one line, whatever the limit.
    expect(formatSearchResults(llamas, 'llama', 0)[1]).toBe('… and 9 more');
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
