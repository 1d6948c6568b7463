import { MalformedReplyError } from '../../../src/ollama/errors.js';
import {
  serverErrorText,
  parseChatChunk,
  parsePullProgress,
  parseRunningModels,
  parseShowReply,
  parseTagsReply,
  parseVersionReply,
} from '../../../src/ollama/replies.js';

const host = '127.0.0.1:11434';

function failure(parse: () => unknown): MalformedReplyError {
  try {
    parse();
  } catch (error) {
    if (error instanceof MalformedReplyError) return error;
    throw error;
  }
  throw new Error('expected a MalformedReplyError');
}

const llama = {
  name: 'llama3.2:latest',
  model: 'llama3.2:latest',
  modified_at: '2025-05-04T17:37:44.70-07:00',
  size: 2019393189,
  digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
  details: {
    parent_model: '',
    format: 'gguf',
    family: 'llama',
    families: ['llama'],
    parameter_size: '3.2B',
    quantization_level: 'Q4_K_M',
  },
};

describe('Ollama reply parsing', () => {
  it('reads a version reply', () => {
    expect(parseVersionReply({ version: '0.12.3' })).toEqual({ version: '0.12.3' });
    expect(failure(() => parseVersionReply({ version: 12 }, host)).detail).toBe(
      'the reply.version is a number, not a string',
    );
    expect(failure(() => parseVersionReply('<html>')).detail).toContain('not an object');
  });

  it('reads installed models, keeping only the known fields', () => {
    const models = parseTagsReply({
      models: [
        { ...llama, extra: 'ignored', capabilities: ['completion', 'tools'] },
        { name: 'tiny:1b', size: 1000, details: { families: null, context_length: 4096 } },
      ],
    });
    expect(models[0]).toEqual({ ...llama, capabilities: ['completion', 'tools'] });
    expect(models[1]).toEqual({
      name: 'tiny:1b',
      model: 'tiny:1b',
      modified_at: '',
      size: 1000,
      digest: '',
      details: {
        parent_model: '',
        format: '',
        family: '',
        families: null,
        parameter_size: '',
        quantization_level: '',
        context_length: 4096,
      },
    });
    expect(parseTagsReply({ models: null })).toEqual([]);
    expect(parseTagsReply({ models: [] })).toEqual([]);
  });

  it('says which field of a tags reply is wrong', () => {
    const bad = (models: unknown) => failure(() => parseTagsReply({ models }, host)).detail;
    expect(failure(() => parseTagsReply({}, host)).detail).toBe('the reply.models is missing');
    expect(bad('x')).toBe('the reply.models is a string, not a list');
    expect(bad([llama, { ...llama, size: '12' }])).toBe('models[1].size is "12", not a count');
    expect(bad([{ ...llama, size: -1 }])).toBe('models[0].size is -1, not a count');
    expect(bad([{ ...llama, name: undefined }])).toBe('models[0].name is missing');
    expect(bad([{ ...llama, details: { ...llama.details, families: 'llama' } }])).toBe(
      'models[0].details.families is a string, not a list',
    );
    expect(bad([{ ...llama, details: { ...llama.details, families: [1] } }])).toBe(
      'models[0].details.families[0] is a number, not a string',
    );
    expect(bad([null])).toBe('models[0] is null, not an object');
    expect(failure(() => parseTagsReply({ models: 'x' }, host)).message).toContain(host);
  });

  it('reads a show reply, filling in what Ollama leaves out', () => {
    const reply = parseShowReply({
      modelfile: 'FROM x',
      template: '{{ .Prompt }}',
      details: llama.details,
      model_info: { 'general.architecture': 'llama' },
      capabilities: ['completion', 'vision'],
      license: 'MIT',
      modified_at: '2025-05-04T17:37:44.70-07:00',
    });
    expect(reply).toEqual({
      modelfile: 'FROM x',
      parameters: '',
      template: '{{ .Prompt }}',
      details: llama.details,
      model_info: { architecture: 'llama' },
      capabilities: ['completion', 'vision'],
      license: 'MIT',
      modified_at: '2025-05-04T17:37:44.70-07:00',
    });
    expect(parseShowReply({}).capabilities).toEqual([]);
    expect(failure(() => parseShowReply({ model_info: [] })).detail).toBe(
      'the reply.model_info is an array, not an object',
    );
  });

  it('reads running models', () => {
    const [running] = parseRunningModels({
      models: [{ ...llama, expires_at: '2026-01-01T00:00:00Z', size_vram: 3000 }],
    });
    expect(running.size_vram).toBe(3000);
    expect(running.expires_at).toBe('2026-01-01T00:00:00Z');
    expect(failure(() => parseRunningModels({ models: [{ name: 'x' }] })).detail).toBe(
      'models[0].size is missing',
    );
  });

  it('reads pull progress lines with their optional fields', () => {
    expect(parsePullProgress({ status: 'pulling manifest' })).toEqual({
      status: 'pulling manifest',
    });
    expect(
      parsePullProgress({ status: 'pulling dde5', digest: 'sha256:dde5', total: 10, completed: 4 }),
    ).toEqual({ status: 'pulling dde5', digest: 'sha256:dde5', total: 10, completed: 4 });
    expect(failure(() => parsePullProgress({ total: 1 })).detail).toBe(
      'the progress line.status is missing',
    );
    expect(failure(() => parsePullProgress({ status: 's', completed: 'x' })).detail).toBe(
      'the progress line.completed is "x", not a count',
    );
  });

  it('reads chat chunks', () => {
    const chunk = parseChatChunk({
      model: 'llama3.2',
      created_at: '2026-01-01T00:00:00Z',
      message: { role: 'assistant', content: 'Hi', tool_calls: [{ function: { name: 'f' } }] },
      done: true,
      done_reason: 'stop',
      eval_count: 3,
    });
    expect(chunk.message).toEqual({
      role: 'assistant',
      content: 'Hi',
      tool_calls: [{ function: { name: 'f', arguments: {} } }],
    });
    expect(chunk.done).toBeTrue();
    expect(chunk.eval_count).toBe(3);
    expect(failure(() => parseChatChunk({ message: { role: 'assistant' } })).detail).toBe(
      'the chat line.done is missing',
    );
    expect(
      failure(() => parseChatChunk({ message: { role: 'robot', content: '' }, done: false }))
        .detail,
    ).toBe('the chat line.message.role is “robot”, not a chat role');
  });

  it('finds the error text of a reply', () => {
    expect(serverErrorText({ error: 'model not found' })).toBe('model not found');
    expect(serverErrorText({ error: 3 })).toBeNull();
    expect(serverErrorText({ status: 'success' })).toBeNull();
    expect(serverErrorText(['error'])).toBeNull();
    expect(serverErrorText(null)).toBeNull();
  });
});
