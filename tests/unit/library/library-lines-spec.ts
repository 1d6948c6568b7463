import { LibraryLines, type LibraryLine } from '../../../src/library/library-lines.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { installedModel, serverState } from '../helpers/installed-models.js';

function model(name: string, size = 1e9, family = 'llama'): InstalledModel {
  return installedModel(name, { size, family });
}

const server = serverState;

/** Lines as text: `# a models` for a heading, `a/name` for a model. */
function text(lines: LibraryLine[]): string[] {
  return lines.map((line) =>
    line.kind === 'server'
      ? `# ${line.connectionId} ${line.status}${line.error ? `: ${line.error}` : ''}`
      : `${line.connectionId}/${line.model.name}`,
  );
}

describe('Library lines', () => {
  const a = server('a', [model('qwen3:8b', 5e9, 'qwen3'), model('llama3.2:3b', 2e9)]);
  const b = server('b', [model('gemma3:4b', 3e9, 'gemma3')]);

  it('puts each server’s heading above its models, in the view’s order', () => {
    const lines = new LibraryLines();
    expect(text(lines.lines([a, b]))).toEqual([
      '# a models',
      'a/llama3.2:3b',
      'a/qwen3:8b',
      '# b models',
      'b/gemma3:4b',
    ]);
    lines.setSort('size');
    expect(text(lines.lines([a, b]))).toEqual([
      '# a models',
      'a/qwen3:8b',
      'a/llama3.2:3b',
      '# b models',
      'b/gemma3:4b',
    ]);
  });

  it('says why a server shows no models: loading, failed, none, none matching', () => {
    const lines = new LibraryLines();
    const states = [
      server('loading', [], { refreshedAt: null, loading: true }),
      server('down', [], { refreshedAt: null, error: 'refused' }),
      server('empty', []),
      a,
    ];
    expect(text(lines.lines(states))).toEqual([
      '# loading loading',
      '# down error: refused',
      '# empty empty',
      '# a models',
      'a/llama3.2:3b',
      'a/qwen3:8b',
    ]);
    lines.setQuery('gemma');
    expect(text(lines.lines([a, b]))).toEqual(['# a no-match', '# b models', 'b/gemma3:4b']);
  });

  it('shows the list saved last time until the server answers, not when it fails', () => {
    const lines = new LibraryLines();
    const saved = { refreshedAt: null, restoredAt: 1, loading: true };
    expect(text(lines.lines([server('a', a.models, saved)]))).toEqual([
      '# a models',
      'a/llama3.2:3b',
      'a/qwen3:8b',
    ]);
    const failed = { ...saved, loading: false, error: 'refused' };
    expect(text(lines.lines([server('a', a.models, failed)]))).toEqual(['# a error: refused']);
  });

  it('finds models by name, family, size or quantisation, over every server', () => {
    const lines = new LibraryLines();
    lines.setQuery('LLAMA');
    expect(text(lines.lines([a, b]))).toEqual(['# a models', 'a/llama3.2:3b', '# b no-match']);
    lines.setQuery('q4_k_m');
    expect(text(lines.lines([a, b])).length).toBe(5);
  });

  it('narrows the last matches as the query grows, and widens again when it shrinks', () => {
    const lines = new LibraryLines();
    const many = server(
      'a',
      Array.from({ length: 50 }, (_, n) => model(`model-${n}:latest`)),
    );
    const shown = (query: string) => {
      lines.setQuery(query);
      return text(lines.lines([many])).filter((line) => !line.startsWith('#'));
    };
    expect(shown('model-4').length).toBe(11);
    expect(shown('model-42')).toEqual(['a/model-42:latest']);
    expect(shown('model-4').length).toBe(11);
    expect(shown('').length).toBe(50);
    expect(shown('model-4x')).toEqual([]);
  });

  it('keeps lines as they are while their content is, so a view redraws nothing', () => {
    const lines = new LibraryLines();
    const first = lines.lines([a, b]);
    lines.setQuery('l');
    lines.setQuery('');
    const again = lines.lines([a, b]);
    expect(again).not.toBe(first);
    again.forEach((line, index) => expect(line).toBe(first[index]));
    // A refresh that lists other models gives their server a new heading (its totals).
    const refreshed = server('a', [...a.models, model('phi4:14b')]);
    const after = lines.lines([refreshed, b]);
    expect(after[0]).not.toBe(first[0]);
    expect(after.find((line) => line.kind === 'model' && line.model === a.models[1])).toBe(
      first[1],
    );
    expect(after[after.length - 1]).toBe(first[first.length - 1]);
  });

  it('orders by last use when asked, again after the use changed', () => {
    const used = new Map<string, number>([['a/qwen3:8b', 1]]);
    const lines = new LibraryLines(
      (entry) => used.get(`${entry.connectionId}/${entry.model.name}`) ?? null,
    );
    lines.setSort('used');
    expect(text(lines.lines([a]))).toEqual(['# a models', 'a/qwen3:8b', 'a/llama3.2:3b']);
    used.set('a/llama3.2:3b', 2);
    expect(text(lines.lines([a]))[1]).toBe('a/qwen3:8b');
    lines.usageChanged();
    expect(text(lines.lines([a]))).toEqual(['# a models', 'a/llama3.2:3b', 'a/qwen3:8b']);
  });
});
