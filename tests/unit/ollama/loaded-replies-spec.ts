import { MalformedReplyError } from '../../../src/ollama/errors.js';
import {
  parseEmbedReply,
  parseGenerateChunk,
  parseRunningModels,
} from '../../../src/ollama/replies.js';

function failure(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof MalformedReplyError) return error.detail;
    throw error;
  }
  throw new Error('expected a MalformedReplyError');
}

/** One /api/ps entry as Ollama 0.12 sends it. */
const running = {
  name: 'qwen3:8b',
  model: 'qwen3:8b',
  size: 6_654_289_920,
  digest: '500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41',
  details: {
    parent_model: '',
    format: 'gguf',
    family: 'qwen3',
    families: ['qwen3'],
    parameter_size: '8.2B',
    quantization_level: 'Q4_K_M',
  },
  expires_at: '2026-06-04T14:38:31.83753-07:00',
  size_vram: 3_460_230_758,
  context_length: 4096,
};

describe('Ollama /api/ps parsing', () => {
  it('reads what Ollama sends, nanosecond times and zone offsets included', () => {
    expect(parseRunningModels({ models: [running] })).toEqual([running]);
    expect(parseRunningModels({ models: null })).toEqual([]);
  });

  it('takes the fields newer fields leave out as unknown', () => {
    const old: Record<string, unknown> = { ...running };
    for (const key of ['expires_at', 'size_vram', 'context_length']) delete old[key];
    const [model] = parseRunningModels({ models: [old] });
    expect(model.expires_at).toBe('');
    expect(model.size_vram).toBe(0);
    expect(model.context_length).toBeUndefined();
  });

  it('refuses wrong types, negative, endless and non-numbers, and times that are not times', () => {
    const entry = (extra: object) => ({ models: [{ ...running, ...extra }] });
    expect(failure(() => parseRunningModels(entry({ size_vram: '3 GB' })))).toBe(
      'models[0].size_vram is "3 GB", not a count',
    );
    expect(failure(() => parseRunningModels(entry({ size_vram: -1 })))).toBe(
      'models[0].size_vram is -1, not a count',
    );
    expect(
      failure(() =>
        parseRunningModels(JSON.parse('{"models":[{"name":"x","size":1,"context_length":1e400}]}')),
      ),
    ).toBe('models[0].context_length is null, not a count');
    expect(failure(() => parseRunningModels(entry({ context_length: [4096] })))).toBe(
      'models[0].context_length is [4096], not a count',
    );
    expect(failure(() => parseRunningModels(entry({ expires_at: 1_767_225_600 })))).toBe(
      'models[0].expires_at is a number, not a string',
    );
    expect(failure(() => parseRunningModels(entry({ expires_at: '<b>soon</b>\u001b[2J' })))).toBe(
      'models[0].expires_at is "<b>soon</b>\\u001b[2J", not a time',
    );
    expect(failure(() => parseRunningModels(entry({ expires_at: '2026-13-45T99:00:00Z' })))).toBe(
      'models[0].expires_at is "2026-13-45T99:00:00Z", not a time',
    );
    expect(
      failure(() => parseRunningModels(entry({ expires_at: `2026-01-01${'x'.repeat(100_000)}` }))),
    ).toMatch(/^models\[0\]\.expires_at is "2026-01-01x{30}", not a time$/);
  });

  it('never puts more on the GPU than the model takes', () => {
    const [model] = parseRunningModels({ models: [{ ...running, size_vram: 1e15 }] });
    expect(model.size_vram).toBe(running.size);
  });

  it('keeps markup and escapes in names as text, for the views to escape', () => {
    const name = '<span foreground="red">x</span>\u001b]0;title\u0007';
    const [model] = parseRunningModels({ models: [{ ...running, name, model: name }] });
    expect(model.name).toBe(name);
  });
});

describe('Ollama /api/generate and /api/embed parsing', () => {
  it('reads generate lines, and the last one with its timings', () => {
    expect(
      parseGenerateChunk({
        model: 'qwen3:8b',
        created_at: '2026-01-01T00:00:00Z',
        response: 'Hi',
        done: false,
      }),
    ).toEqual({
      model: 'qwen3:8b',
      created_at: '2026-01-01T00:00:00Z',
      response: 'Hi',
      done: false,
    });
    const last = parseGenerateChunk({
      model: 'qwen3:8b',
      created_at: '2026-01-01T00:00:00Z',
      response: '',
      thinking: 'hmm',
      done: true,
      done_reason: 'stop',
      context: [1, 2, 3],
      total_duration: 1_559_567_890,
      load_duration: 45_678_901,
      prompt_eval_count: 12,
      prompt_eval_duration: 123_456_789,
      eval_count: 13,
      eval_duration: 325_000_000,
    });
    expect(last).toEqual({
      model: 'qwen3:8b',
      created_at: '2026-01-01T00:00:00Z',
      response: '',
      thinking: 'hmm',
      done: true,
      done_reason: 'stop',
      total_duration: 1_559_567_890,
      load_duration: 45_678_901,
      prompt_eval_count: 12,
      prompt_eval_duration: 123_456_789,
      eval_count: 13,
      eval_duration: 325_000_000,
    });
    expect(parseGenerateChunk({ done: true, done_reason: 'unload' }).done_reason).toBe('unload');
  });

  it('refuses generate lines with wrong types', () => {
    expect(failure(() => parseGenerateChunk({ response: 'x' }))).toBe(
      'the generate line.done is missing',
    );
    expect(failure(() => parseGenerateChunk({ response: 5, done: false }))).toBe(
      'the generate line.response is a number, not a string',
    );
    expect(failure(() => parseGenerateChunk({ done: true, eval_duration: -5 }))).toBe(
      'the generate line.eval_duration is -5, not a count',
    );
    expect(failure(() => parseGenerateChunk([]))).toBe(
      'the generate line is an array, not an object',
    );
  });

  it('reads an embedding as its count and length, checking every number', () => {
    expect(
      parseEmbedReply({
        model: 'nomic-embed-text',
        embeddings: [
          [0.1, -0.2, 0.3],
          [0, 0, 1],
        ],
        total_duration: 14_143_917,
        load_duration: 1_019_500,
        prompt_eval_count: 8,
      }),
    ).toEqual({
      model: 'nomic-embed-text',
      count: 2,
      dimensions: 3,
      total_duration: 14_143_917,
      load_duration: 1_019_500,
      prompt_eval_count: 8,
    });
    expect(parseEmbedReply({ model: 'x', embeddings: [] })).toEqual({
      model: 'x',
      count: 0,
      dimensions: 0,
    });
    expect(failure(() => parseEmbedReply({ embeddings: [[1, 2], [3]] }))).toBe(
      'the reply.embeddings[1] has 1 numbers, not 2',
    );
    expect(failure(() => parseEmbedReply({ embeddings: [[1, '2']] }))).toBe(
      'the reply.embeddings[0] holds something other than numbers',
    );
    expect(failure(() => parseEmbedReply({ embeddings: [{ 0: 1 }] }))).toBe(
      'the reply.embeddings[0] is not a list',
    );
    expect(failure(() => parseEmbedReply({ embedding: [1, 2] }))).toBe(
      'the reply.embeddings is missing',
    );
  });
});
