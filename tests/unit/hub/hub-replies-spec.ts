import { parseRepo, parseSearch, parseTree } from '../../../src/hub/hub-replies.js';
import { isRepoId } from '../../../src/hub/repo-id.js';

describe('Hub replies', () => {
  it('accepts only repository ids the Hub allows', () => {
    for (const id of [
      'bartowski/Llama-3.2-3B-Instruct-GGUF',
      'Qwen/Qwen2.5-7B-Instruct-GGUF',
      'a/b',
      'ggml-org/gpt-oss-20b-GGUF',
    ])
      expect(isRepoId(id)).withContext(id).toBeTrue();
    for (const id of [
      'llama',
      'a/b/c',
      '/b',
      'a/',
      'a/-b',
      'a/b.',
      'a/b--c',
      'a/b..c',
      'a/<b>',
      'a/b\u001b[0m',
      `a/${'x'.repeat(97)}`,
      'a b/c',
    ])
      expect(isRepoId(id)).withContext(id).toBeFalse();
  });

  it('reads a repository, keeping what is unsure on the safe side', () => {
    expect(
      parseRepo({
        id: 'someone/Model-GGUF',
        author: 'someone',
        downloads: 12,
        likes: 3,
        lastModified: '2025-01-02T03:04:05.000Z',
        gated: 'auto',
        private: false,
      }),
    ).toEqual({
      id: 'someone/Model-GGUF',
      author: 'someone',
      downloads: 12,
      likes: 3,
      lastModified: '2025-01-02T03:04:05.000Z',
      gated: 'auto',
      private: false,
    });
    const odd = parseRepo({
      modelId: 'someone/Model-GGUF',
      author: 'somebody-else',
      downloads: -1,
      likes: 1.5,
      lastModified: 'yesterday<b>',
      gated: true,
      private: 'yes',
    });
    expect(odd).toEqual({
      id: 'someone/Model-GGUF',
      author: 'someone',
      downloads: 0,
      likes: 0,
      lastModified: null,
      // A gate Paddock does not know still keeps the pull from being offered.
      gated: 'manual',
      private: false,
    });
    expect(parseRepo({ id: 'no-slash' })).toBeNull();
    expect(parseRepo(['someone/Model-GGUF'])).toBeNull();
    expect(parseSearch({ models: [] })).toBeNull();
    expect(parseSearch([{ id: 'a/b' }, { id: 7 }, null])?.map((repo) => repo.id)).toEqual(['a/b']);
  });

  it('reads a tree page: files with their stored size, folders, nothing outside the folder', () => {
    const page = parseTree(
      [
        { type: 'file', path: 'Q8/m-Q8_0-00001-of-00002.gguf', size: 135, lfs: { size: 4e9 } },
        { type: 'file', path: 'Q8/README.md', size: 120 },
        { type: 'directory', path: 'Q8/sub', size: 0 },
        { type: 'file', path: 'elsewhere.gguf', size: 1 },
        { type: 'file', path: 'Q8/../../etc/passwd', size: 1 },
        { type: 'file', path: 'Q8//x.gguf', size: 1 },
        { type: 'file', path: `Q8/${'x'.repeat(1100)}.gguf`, size: 1 },
        { type: 'file', path: 'Q8/bad-size.gguf', size: 'big' },
        { type: 'symlink', path: 'Q8/link', size: 1 },
      ],
      'Q8',
    );
    expect(page).toEqual({
      files: [
        { path: 'Q8/m-Q8_0-00001-of-00002.gguf', size: 4e9 },
        { path: 'Q8/README.md', size: 120 },
        { path: 'Q8/bad-size.gguf', size: 0 },
      ],
      folders: ['Q8/sub'],
    });
    expect(parseTree({ error: 'x' }, '')).toBeNull();
  });
});
