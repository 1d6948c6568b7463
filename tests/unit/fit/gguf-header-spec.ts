import { GgufHeaderError } from '../../../src/fit/errors.js';
import { GgufHeaderParser, parseGgufHeader } from '../../../src/fit/gguf-header.js';
import { GgufBytes, concat, llamaHeader } from './gguf-bytes.js';

const MIB = 1024 * 1024;

/** Feeds `bytes` in pieces of `size`, as a reader would, honouring the parser's offset. */
function feedInPieces(bytes: Uint8Array, size: number): GgufHeaderParser {
  const parser = new GgufHeaderParser({ fileSize: bytes.length });
  while (!parser.done) {
    const at = parser.offset;
    if (at >= bytes.length) parser.end();
    parser.push(bytes.subarray(at, at + size));
  }
  return parser;
}

function headerError(run: () => unknown): GgufHeaderError {
  try {
    run();
  } catch (error) {
    if (error instanceof GgufHeaderError) return error;
    throw error;
  }
  throw new Error('no GgufHeaderError');
}

describe('GGUF header parser', () => {
  it('reads what the estimate needs from a llama.cpp header', () => {
    const facts = parseGgufHeader(llamaHeader().bytes());
    expect(facts).toEqual({
      architecture: 'llama',
      blockCount: 28,
      contextLength: 131072,
      embeddingLength: 3072,
      feedForwardLength: 8192,
      headCount: [24],
      headCountKv: [8],
      keyLength: 128,
      valueLength: 128,
      slidingWindow: null,
      expertCount: null,
      vocabSize: 128256,
      fileType: 15,
      vision: null,
    });
  });

  it('stops at the token list: its strings are never needed', () => {
    const bytes = llamaHeader().bytes();
    const parser = new GgufHeaderParser({ fileSize: bytes.length });
    // The keys and the token list's count fit in the first KB of a 1.2 MB header.
    expect(parser.push(bytes.subarray(0, 1024))).toBeTrue();
    expect(bytes.length).toBeGreaterThan(MIB);
    expect(parser.facts().vocabSize).toBe(128256);
  });

  it('gives the same facts whatever the pieces the bytes come in', () => {
    const bytes = llamaHeader(500).bytes();
    const whole = parseGgufHeader(bytes);
    for (const size of [1, 7, 24, 100]) expect(feedInPieces(bytes, size).facts()).toEqual(whole);
  });

  it('skips numeric lists without their bytes: the next read starts after them', () => {
    const bytes = new GgufBytes()
      .string('general.architecture', 'gemma3')
      .f32s('tokenizer.ggml.scores', 262144)
      .u32('gemma3.block_count', 34)
      .u32('gemma3.context_length', 131072)
      .u32('gemma3.embedding_length', 2560)
      .u32('gemma3.attention.head_count', 8)
      .u32('gemma3.attention.sliding_window', 1024)
      .strings('tokenizer.ggml.tokens', 10, String)
      .bytes();
    const parser = new GgufHeaderParser({ fileSize: bytes.length });
    parser.push(bytes.subarray(0, 200));
    expect(parser.offset).toBeGreaterThan(262144 * 4);
    while (!parser.done) parser.push(bytes.subarray(parser.offset, parser.offset + 200));
    expect(parser.bytesRead).toBeLessThan(1000);
    expect(parser.facts()).toEqual(
      jasmine.objectContaining({ architecture: 'gemma3', slidingWindow: 1024, vocabSize: 10 }),
    );
  });

  it('keeps per-layer head counts and defaults the KV heads and head size as llama.cpp', () => {
    const facts = parseGgufHeader(
      new GgufBytes()
        .string('general.architecture', 'openelm')
        .u32('openelm.block_count', 3)
        .u32('openelm.context_length', 2048)
        .u32('openelm.embedding_length', 1280)
        .u32s('openelm.attention.head_count', [12, 16, 20])
        .bytes(),
    );
    expect(facts.headCount).toEqual([12, 16, 20]);
    expect(facts.headCountKv).toEqual([12, 16, 20]);
    expect(facts.keyLength).toBeNull();
    expect(facts.vocabSize).toBeNull();
  });

  it('stops at another text list once the keys are in (Ollama’s sorted files put merges first)', () => {
    const bytes = new GgufBytes()
      .string('general.architecture', 'qwen2')
      .u32('qwen2.attention.head_count', 28)
      .u32('qwen2.block_count', 28)
      .u32('qwen2.context_length', 32768)
      .u32('qwen2.embedding_length', 3584)
      .strings('tokenizer.ggml.merges', 150000, (index) => `m ${index}`)
      .strings('tokenizer.ggml.tokens', 152064, (index) => `t${index}`)
      .bytes();
    const parser = new GgufHeaderParser({ fileSize: bytes.length });
    expect(parser.push(bytes.subarray(0, 4096))).toBeTrue();
    expect(parser.facts().vocabSize).toBeNull();
  });

  describe('refuses, with a clear message and within its caps,', () => {
    it('bytes that are not GGUF, as soon as it sees 4 of them', () => {
      const parser = new GgufHeaderParser();
      const error = headerError(() => parser.push(new TextEncoder().encode('<htm')));
      expect(error.message).toBe(
        'The model file’s header cannot be read: it does not start with GGUF.',
      );
    });

    it('a version it does not know', () => {
      const header = llamaHeader(10);
      header.version = 1;
      expect(headerError(() => parseGgufHeader(header.bytes())).detail).toBe(
        'it is GGUF version 1, which Paddock cannot read',
      );
    });

    it('a header cut short', () => {
      const bytes = llamaHeader().bytes().subarray(0, 300);
      expect(headerError(() => parseGgufHeader(bytes)).detail).toBe('it ends after 300 bytes');
    });

    it('a list claiming a trillion entries', () => {
      const bytes = new GgufBytes()
        .string('general.architecture', 'llama')
        .listHead('tokenizer.ggml.scores', 6, 1_000_000_000_000)
        .bytes();
      expect(headerError(() => parseGgufHeader(bytes)).detail).toBe(
        'the list “tokenizer.ggml.scores” claims 1000000000000 entries',
      );
    });

    it('a list whose items would run past the end of the file', () => {
      const bytes = new GgufBytes()
        .string('general.architecture', 'llama')
        .listHead('tokenizer.ggml.scores', 6, 1_000_000)
        .bytes();
      const parser = new GgufHeaderParser({ fileSize: bytes.length + 100 });
      expect(headerError(() => parser.push(bytes)).detail).toBe(
        'a length in it points past the end of the file',
      );
    });

    it('a string whose length lies about the bytes after it', () => {
      const bytes = new GgufBytes().stringClaiming('general.architecture', 5000, 10).bytes();
      const parser = new GgufHeaderParser({ fileSize: 10 * MIB });
      parser.push(bytes);
      expect(parser.done).toBeFalse();
      const cut = new GgufHeaderParser({ fileSize: bytes.length });
      expect(headerError(() => cut.push(bytes)).detail).toBe(
        'a length in it points past the end of the file',
      );
    });

    it('a key, a string or a count larger than any real one', () => {
      const key = new GgufBytes().keyClaiming(2n ** 62n).bytes();
      expect(headerError(() => parseGgufHeader(key)).detail).toBe(
        'a length in it (4611686018427387904) is larger than Paddock accepts',
      );
      const string = new GgufBytes().stringClaiming('general.name', 64 * MIB, 0).bytes();
      expect(headerError(() => parseGgufHeader(string)).detail).toContain(
        'larger than Paddock accepts',
      );
      const count = new GgufBytes();
      count.kvCount = 2n ** 40n;
      expect(headerError(() => parseGgufHeader(count.bytes())).detail).toContain(
        'larger than Paddock accepts',
      );
    });

    it('keys that are not within the first 2 MiB', () => {
      const bytes = new GgufBytes()
        .strings('tokenizer.ggml.tokens', 300000, (index) => `token number ${index}`)
        .string('general.architecture', 'llama')
        .bytes();
      const parser = new GgufHeaderParser({ fileSize: bytes.length });
      const error = headerError(() => {
        while (!parser.done) parser.push(bytes.subarray(parser.offset, parser.offset + 64 * 1024));
      });
      expect(error.detail).toContain('the keys Paddock needs are not within its first 2');
      expect(parser.bytesRead).toBeLessThanOrEqual(2 * MIB);
    });

    it('a header without a key the estimate needs, or an absurd layer count', () => {
      const missing = new GgufBytes()
        .string('general.architecture', 'llama')
        .u32('llama.block_count', 28)
        .bytes();
      expect(headerError(() => parseGgufHeader(missing)).detail).toBe(
        'it has no “llama.attention.head_count”',
      );
      const layers = new GgufBytes()
        .string('general.architecture', 'llama')
        .u32('llama.block_count', 4_000_000_000)
        .u32('llama.context_length', 4096)
        .u32('llama.embedding_length', 4096)
        .u32('llama.attention.head_count', 32)
        .bytes();
      expect(headerError(() => parseGgufHeader(layers)).detail).toBe('it claims 4000000000 layers');
    });

    it('a list of lists and a value of unknown type', () => {
      const nested = new GgufBytes()
        .string('general.architecture', 'llama')
        .listHead('x', 9, 2)
        .bytes();
      expect(headerError(() => parseGgufHeader(nested)).detail).toBe('it holds a list of lists');
      const unknown = new GgufBytes()
        .raw(
          concat([
            new GgufBytes()
              .string('k', 'v')
              .bytes()
              .subarray(24, 24 + 9),
            new Uint8Array([99, 0, 0, 0]),
          ]),
        )
        .bytes();
      expect(headerError(() => parseGgufHeader(unknown)).detail).toBe(
        'it holds a value of unknown type 99',
      );
    });
  });
});
