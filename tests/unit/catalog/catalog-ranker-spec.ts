import { AvailableModel } from '../../../src/catalog/available-model.js';
import { CatalogRank, CatalogRanker } from '../../../src/catalog/catalog-ranker.js';
import { CatalogSearch } from '../../../src/catalog/catalog-search.js';

function model(name: string, description = '', downloads: number | null = null): AvailableModel {
  return new AvailableModel({ name, description, downloads });
}

// A hand-made catalog, deliberately not in any useful order.
const catalog = [
  model('codellama', 'Code generation on top of Llama 2.', 3_800_000),
  model('llama3.2-vision', 'Image reasoning.', 3_400_000),
  model('tinyllama', 'A compact 1.1B model.', 3_200_000),
  model('mistral', 'The 7B model by Mistral AI, a llama competitor.', 23_500_000),
  model('llama3', 'Meta Llama 3.', 13_200_000),
  model('artifish/llama3.2-uncensored', '', 817_200),
  model('llama', 'The original.', 10),
  model('llama3.1', 'State of the art.', 108_000_000),
  model('llama3.2', 'Small models.', 50_800_000),
  model('phi3', 'Lightweight.', 15_300_000),
  model('LLaMA-Pro', 'An expansion of Llama.', null),
];

function search(query: string): string[] {
  return new CatalogSearch(catalog).search(query).map((item) => item.name);
}

function sortedWithCompare(query: string): string[] {
  const ranker = new CatalogRanker(query);
  return catalog
    .filter((item) => ranker.matches(item))
    .sort((a, b) => ranker.compare(a, b))
    .map((item) => item.name);
}

describe('Catalog ranker', () => {
  it('ranks exact name, then prefix (shorter first), then substring, then description', () => {
    expect(search('llama')).toEqual([
      // Exact.
      'llama',
      // Prefix: shorter first, then the more pulled.
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

  it('gives each model a numeric rank', () => {
    const ranker = new CatalogRanker('  LLAMA3 ');
    const rankOf = (name: string): CatalogRank =>
      ranker.rank(catalog.find((item) => item.name === name)!);
    expect(ranker.query).toBe('llama3');
    expect(rankOf('llama3')).toBe(CatalogRank.ExactName);
    expect(rankOf('llama3.2-vision')).toBe(CatalogRank.NamePrefix);
    expect(rankOf('artifish/llama3.2-uncensored')).toBe(CatalogRank.NameSubstring);
    expect(rankOf('llama')).toBe(CatalogRank.NoMatch);
    expect(new CatalogRanker('competitor').rank(catalog[3])).toBe(CatalogRank.Description);
    expect(CatalogRank.ExactName < CatalogRank.NamePrefix).toBeTrue();
    expect(CatalogRank.NameSubstring < CatalogRank.Description).toBeTrue();
    expect(CatalogRank.Description < CatalogRank.NoMatch).toBeTrue();
  });

  it('ignores case and extra spaces', () => {
    expect(search('LlAmA3.2')).toEqual(search('llama3.2'));
    expect(search('  state   of ')).toEqual(['llama3.1']);
    expect(new CatalogRanker('TINY').matches(catalog[2])).toBeTrue();
  });

  it('matches nothing for an unknown word', () => {
    expect(search('zzz')).toEqual([]);
    expect(new CatalogRanker('zzz').matches(catalog[0])).toBeFalse();
  });

  it('lists everything, most pulled first, without a query', () => {
    expect(search('   ')).toEqual([
      'llama3.1',
      'llama3.2',
      'mistral',
      'phi3',
      'llama3',
      'codellama',
      'llama3.2-vision',
      'tinyllama',
      'artifish/llama3.2-uncensored',
      'llama',
      'LLaMA-Pro',
    ]);
  });

  it('gives Gtk.Ordering values that sort like CatalogSearch', () => {
    for (const query of ['llama', 'l', 'llama3.2', 'model', '', 'a', '3'])
      expect(sortedWithCompare(query)).withContext(query).toEqual(search(query));
    const ranker = new CatalogRanker('llama');
    expect(ranker.compare(catalog[6], catalog[4])).toBe(-1);
    expect(ranker.compare(catalog[4], catalog[6])).toBe(1);
    expect(ranker.compare(catalog[4], catalog[4])).toBe(0);
  });

  it('searches the same catalog again and again', () => {
    const catalogSearch = new CatalogSearch(catalog);
    expect(catalogSearch.search('phi').map((item) => item.name)).toEqual(['phi3']);
    expect(catalogSearch.search('').length).toBe(catalog.length);
    expect(catalogSearch.search('llama3.1').map((item) => item.name)).toEqual(['llama3.1']);
    // Results are copies: changing one changes nothing inside.
    catalogSearch.search('').length = 0;
    expect(catalogSearch.search('').length).toBe(catalog.length);
  });
});
