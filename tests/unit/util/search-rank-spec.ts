import {
  MatchRank,
  NO_MATCH,
  SearchIndex,
  compareMatches,
  rankMatch,
  searchKey,
} from '../../../src/util/search-rank.js';

/** The obvious, slow way: rank everything, sort everything. */
function bestNaive(
  query: string,
  names: readonly string[],
  descriptions: readonly string[],
  limit: number,
): number[] {
  const ranked = names
    .map((name, index) => ({ index, rank: rankMatch(query, name, descriptions[index]) }))
    .filter((entry) => entry.rank !== NO_MATCH);
  ranked.sort(
    (a, b) => compareMatches(a.rank, names[a.index], b.rank, names[b.index]) || a.index - b.index,
  );
  return ranked.slice(0, limit).map((entry) => entry.index);
}

/** A small deterministic generator (mulberry32), so the random cases repeat exactly. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('SearchRank', () => {
  describe('searchKey', () => {
    it('lower-cases, trims and folds runs of white space', () => {
      expect(searchKey('  Qwen3  Coder\t30B ')).toBe('qwen3 coder 30b');
      expect(searchKey('')).toBe('');
      expect(searchKey('   ')).toBe('');
      expect(searchKey('a\u00a0b\nc')).toBe('a b c');
      expect(searchKey('Already Single-Spaced')).toBe('already single-spaced');
    });
  });

  describe('rankMatch', () => {
    it('ranks the exact name, a prefix, a substring, then the description', () => {
      expect(rankMatch('qwen3', 'qwen3')).toBe(MatchRank.Exact);
      expect(rankMatch('qwen', 'qwen3')).toBe(MatchRank.Prefix);
      expect(rankMatch('wen', 'qwen3')).toBe(MatchRank.Substring);
      expect(rankMatch('alibaba', 'qwen3', 'models by alibaba')).toBe(MatchRank.Description);
      expect(rankMatch('gemma', 'qwen3', 'models by alibaba')).toBe(NO_MATCH);
    });

    it('prefers the name to the description', () => {
      expect(rankMatch('qwen', 'qwen3', 'qwen again')).toBe(MatchRank.Prefix);
    });

    it('matches every name with an empty query', () => {
      expect(rankMatch('', 'qwen3')).toBe(MatchRank.Prefix);
      expect(rankMatch('', '')).toBe(MatchRank.Exact);
    });

    it('compares search keys as they are', () => {
      expect(rankMatch(searchKey('QWEN'), searchKey('Qwen3'))).toBe(MatchRank.Prefix);
      expect(rankMatch('QWEN', 'qwen3')).toBe(NO_MATCH);
    });

    it('lets no match sort after every rank', () => {
      expect(NO_MATCH > MatchRank.Description).toBeTrue();
    });
  });

  describe('compareMatches', () => {
    it('orders by rank, then shorter name, then code point', () => {
      expect(compareMatches(MatchRank.Exact, 'zzzzzz', MatchRank.Prefix, 'a')).toBeLessThan(0);
      expect(compareMatches(MatchRank.Prefix, 'qwen3', MatchRank.Prefix, 'qwen')).toBeGreaterThan(
        0,
      );
      expect(compareMatches(MatchRank.Prefix, 'qwen2', MatchRank.Prefix, 'qwen3')).toBeLessThan(0);
      expect(compareMatches(MatchRank.Substring, 'x', MatchRank.Substring, 'x')).toBe(0);
    });
  });

  describe('SearchIndex', () => {
    const names = ['qwen3-coder', 'llama3', 'qwen3', 'codeqwen', 'qwen2', 'gemma3', 'qwen'];
    const descriptions = [
      'coding model',
      'meta llama',
      'alibaba qwen',
      'code model',
      'older qwen',
      'google',
      'the first qwen',
    ];

    function indexOf(entries: readonly string[], notes: readonly string[] = []): SearchIndex {
      const index = new SearchIndex();
      index.splice(0, 0, entries, notes);
      return index;
    }

    function bestNames(index: SearchIndex, entries: readonly string[], query: string, limit = 10) {
      return index.best(query, limit).map((position) => entries[position]);
    }

    it('puts the exact name first, then prefixes by length and name, then substrings', () => {
      expect(bestNames(indexOf(names), names, 'qwen')).toEqual([
        'qwen',
        'qwen2',
        'qwen3',
        'qwen3-coder',
        'codeqwen',
      ]);
    });

    it('puts description matches last, shorter names first among them too', () => {
      const index = indexOf(names, descriptions);
      expect(bestNames(index, names, 'code')).toEqual(['codeqwen', 'qwen3-coder']);
      expect(bestNames(index, names, 'google')).toEqual(['gemma3']);
      expect(bestNames(index, names, 'model')).toEqual(['codeqwen', 'qwen3-coder']);
    });

    it('counts an entry once when its name and description both match', () => {
      expect(bestNames(indexOf(names, descriptions), names, 'qwen')).toEqual([
        'qwen',
        'qwen2',
        'qwen3',
        'qwen3-coder',
        'codeqwen',
      ]);
    });

    it('ignores case and surrounding white space, and takes the query literally', () => {
      const index = indexOf(['Qwen2.5-Coder', 'qwen205'], ['A  Coding\tModel']);
      expect(index.best('  QWEN2.5 ', 10)).toEqual([0]);
      expect(index.best('coding model', 10)).toEqual([0]);
    });

    it('never matches across two entries', () => {
      const index = indexOf(['ab', 'cd'], ['ef', 'gh']);
      expect(index.best('bc', 10)).toEqual([]);
      expect(index.best('b c', 10)).toEqual([]);
      expect(index.best('fg', 10)).toEqual([]);
    });

    it('stops at the limit', () => {
      const index = indexOf(names);
      expect(bestNames(index, names, 'qwen', 2)).toEqual(['qwen', 'qwen2']);
      expect(index.best('qwen', 0)).toEqual([]);
      expect(new SearchIndex().best('qwen', 5)).toEqual([]);
    });

    it('ranks the same when enough names start with the query as when few do', () => {
      // Prefixes at the first and the last entry, substrings between them.
      const index = indexOf(['qa', 'xq', 'qb', 'aq', 'q'], ['', 'q', '', '', '']);
      expect(index.best('q', 1)).toEqual([4]);
      expect(index.best('q', 2)).toEqual([4, 0]);
      expect(index.best('q', 3)).toEqual([4, 0, 2]);
      expect(index.best('q', 4)).toEqual([4, 0, 2, 3]);
      expect(index.best('q', 10)).toEqual([4, 0, 2, 3, 1]);
      expect(index.count('q')).toBe(5);
    });

    it('counts the matches beyond any limit, each entry once', () => {
      const index = indexOf(names, descriptions);
      expect(index.count('qwen')).toBe(5);
      expect(index.count('  CODE ')).toBe(2);
      expect(index.count('mistral')).toBe(0);
      expect(index.count('')).toBe(names.length);
      expect(new SearchIndex().count('')).toBe(0);
      expect(new SearchIndex().count('qwen')).toBe(0);
    });

    it('returns nothing when nothing matches', () => {
      expect(indexOf(names, descriptions).best('mistral', 10)).toEqual([]);
    });

    it('answers a query again after a change, never from before it', () => {
      const entries = ['qwen3', 'qwen'];
      const index = indexOf(entries);
      const first = index.best('qwen', 10);
      expect(first).toEqual([1, 0]);
      // The caller owns what it gets.
      first.reverse();
      expect(index.best(' QWEN ', 10)).toEqual([1, 0]);
      expect(index.best('qwen', 1)).toEqual([1]);
      index.splice(0, 0, ['qwe']);
      expect(index.best('qwen', 10)).toEqual([2, 1]);
      index.splice(0, 3, ['qwen2']);
      expect(index.best('qwen', 10)).toEqual([0]);
    });

    it('keeps the list order for an empty query', () => {
      const index = indexOf(names);
      expect(index.best('', 3)).toEqual([0, 1, 2]);
      expect(index.best('   ', 100)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('keeps equal names in their order', () => {
      expect(indexOf(['ab', 'a', 'ab', 'a']).best('a', 10)).toEqual([1, 3, 0, 2]);
    });

    it('follows insertions, removals and replacements like a list model', () => {
      const entries = ['gemma3', 'qwen3', 'llama3'];
      const index = indexOf(entries);
      expect(index.best('qwen', 10)).toEqual([1]);

      index.splice(1, 0, ['qwen'], ['inserted']);
      entries.splice(1, 0, 'qwen');
      expect(index.size).toBe(4);
      expect(bestNames(index, entries, 'qwen')).toEqual(['qwen', 'qwen3']);
      expect(bestNames(index, entries, 'inserted')).toEqual(['qwen']);

      index.splice(2, 1, []);
      entries.splice(2, 1);
      expect(bestNames(index, entries, 'qwen')).toEqual(['qwen']);
      expect(bestNames(index, entries, '3')).toEqual(['gemma3', 'llama3']);

      index.splice(0, 3, ['phi4', 'mistral']);
      entries.splice(0, 3, 'phi4', 'mistral');
      expect(index.size).toBe(2);
      expect(bestNames(index, entries, 'i')).toEqual(['phi4', 'mistral']);
      expect(index.best('inserted', 10)).toEqual([]);
    });

    it('agrees with ranking and sorting everything, for many names that tie', () => {
      const random = randomSource(7);
      const letters = 'abcq';
      const many: string[] = [];
      const notes: string[] = [];
      for (let i = 0; i < 3000; i++) {
        // Mostly short names that tie often; a few longer than a length bucket.
        const length = i % 500 === 0 ? 300 + (i % 7) : 1 + Math.floor(random() * 5);
        let name = '';
        for (let j = 0; j < length; j++) name += letters[Math.floor(random() * letters.length)];
        many.push(name);
        notes.push(i % 3 === 0 ? 'qa note' : 'none');
      }
      const index = indexOf(many, notes);
      for (const query of ['a', 'q', 'ab', 'qa', 'cab', 'bbbbb', 'zzz']) {
        for (const limit of [1, 17, 200, 5000]) {
          expect(index.best(query, limit))
            .withContext(`${query} ${limit}`)
            .toEqual(bestNaive(query, many, notes, limit));
        }
        expect(index.count(query))
          .withContext(query)
          .toBe(bestNaive(query, many, notes, many.length).length);
      }
    });
  });
});
