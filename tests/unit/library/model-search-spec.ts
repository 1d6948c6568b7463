import {
  modelMatcher,
  modelMatches,
  searchModels,
  type LibraryEntry,
} from '../../../src/library/model-search.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { installedModel } from '../helpers/installed-models.js';

function model(
  name: string,
  size: number,
  modified: string,
  family = 'llama',
  parameters = '3.2B',
): InstalledModel {
  return installedModel(name, { size, modified, family, parameters });
}

describe('Library model search', () => {
  const entries: LibraryEntry[] = [
    { connectionId: 'a', model: model('qwen3:8b', 5.2e9, '2026-01-03T00:00:00Z', 'qwen3', '8.2B') },
    { connectionId: 'a', model: model('llama3.2:3b', 2.0e9, '2026-01-05T00:00:00Z') },
    { connectionId: 'b', model: model('gemma3:4b', 3.3e9, 'not a date', 'gemma3', '4.3B') },
    { connectionId: 'b', model: model('llama3.2:3b', 2.0e9, '2026-01-01T00:00:00Z') },
    { connectionId: 'b', model: model('mxbai-llama:1b', 7e8, '2026-01-04T00:00:00Z', 'bert') },
  ];
  const listed = (found: LibraryEntry[]) =>
    found.map(({ connectionId, model }) => `${connectionId}/${model.name}`);

  it('sorts by name, then keeps the servers’ order', () => {
    expect(listed(searchModels(entries, '', 'name'))).toEqual([
      'b/gemma3:4b',
      'a/llama3.2:3b',
      'b/llama3.2:3b',
      'b/mxbai-llama:1b',
      'a/qwen3:8b',
    ]);
  });

  it('sorts largest first', () => {
    expect(listed(searchModels(entries, '', 'size'))).toEqual([
      'a/qwen3:8b',
      'b/gemma3:4b',
      'a/llama3.2:3b',
      'b/llama3.2:3b',
      'b/mxbai-llama:1b',
    ]);
  });

  it('sorts newest first, a date it cannot read last', () => {
    expect(listed(searchModels(entries, '', 'modified'))).toEqual([
      'a/llama3.2:3b',
      'b/mxbai-llama:1b',
      'a/qwen3:8b',
      'b/llama3.2:3b',
      'b/gemma3:4b',
    ]);
  });

  it('sorts most recently used first, models never seen used last by name', () => {
    const used = new Map([
      ['b/llama3.2:3b', Date.UTC(2026, 0, 2)],
      ['a/qwen3:8b', Date.UTC(2026, 0, 9)],
    ]);
    const lastUsed = ({ connectionId, model }: LibraryEntry) =>
      used.get(`${connectionId}/${model.name}`) ?? null;
    expect(listed(searchModels(entries, '', 'used', lastUsed))).toEqual([
      'a/qwen3:8b',
      'b/llama3.2:3b',
      'b/gemma3:4b',
      'a/llama3.2:3b',
      'b/mxbai-llama:1b',
    ]);
    // Without any use known, the order is by name.
    expect(listed(searchModels(entries, '', 'used'))).toEqual(
      listed(searchModels(entries, '', 'name')),
    );
  });

  it('finds by name, family or parameter size, ignoring case and spacing, in the chosen order', () => {
    expect(listed(searchModels(entries, '  LLAMA ', 'size'))).toEqual([
      'a/llama3.2:3b',
      'b/llama3.2:3b',
      'b/mxbai-llama:1b',
    ]);
    expect(listed(searchModels(entries, 'qwen3', 'name'))).toEqual(['a/qwen3:8b']);
    expect(listed(searchModels(entries, 'bert', 'name'))).toEqual(['b/mxbai-llama:1b']);
    expect(listed(searchModels(entries, '4.3b', 'name'))).toEqual(['b/gemma3:4b']);
    expect(searchModels(entries, 'mistral', 'name')).toEqual([]);
  });

  it('tells whether one model matches, as the Models page filters its rows', () => {
    const qwen = entries[0].model;
    expect(modelMatches(qwen, '')).toBeTrue();
    expect(modelMatches(qwen, 'Q4_k')).toBeTrue();
    expect(modelMatches(qwen, '8.2b')).toBeTrue();
    expect(modelMatches(qwen, 'gemma')).toBeFalse();
  });

  it('makes one matcher for a query that tells the models apart as modelMatches does', () => {
    const models = entries.map((entry) => entry.model);
    for (const query of ['', 'Q4_k', '8.2b', 'gemma', ' QWEN ', 'qwen3:8b'])
      expect(models.map(modelMatcher(query))).toEqual(
        models.map((one) => modelMatches(one, query)),
      );
    expect(models.filter(modelMatcher('gemma')).length).toBeGreaterThan(0);
  });
});
