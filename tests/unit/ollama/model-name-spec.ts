import { InvalidModelNameError } from '../../../src/ollama/errors.js';
import { ModelName } from '../../../src/ollama/model-name.js';

const part80 = 'a'.repeat(80);
const part81 = 'a'.repeat(81);

describe('Ollama ModelName', () => {
  const valid: [string, string, string, string, string, string][] = [
    // text, host, namespace, model, tag, display
    ['llama3.2', 'registry.ollama.ai', 'library', 'llama3.2', 'latest', 'llama3.2:latest'],
    ['llama3.2:3b', 'registry.ollama.ai', 'library', 'llama3.2', '3b', 'llama3.2:3b'],
    ['qwen3:8b-q4_K_M', 'registry.ollama.ai', 'library', 'qwen3', '8b-q4_K_M', 'qwen3:8b-q4_K_M'],
    ['user/model:tag', 'registry.ollama.ai', 'user', 'model', 'tag', 'user/model:tag'],
    ['library/mistral', 'registry.ollama.ai', 'library', 'mistral', 'latest', 'mistral:latest'],
    [
      'registry.ollama.ai/library/gemma3:4b',
      'registry.ollama.ai',
      'library',
      'gemma3',
      '4b',
      'gemma3:4b',
    ],
    [
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
      'hf.co',
      'bartowski',
      'Llama-3.2-1B-Instruct-GGUF',
      'Q4_K_M',
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
    ],
    [
      'localhost:5000/team/model:v1.0',
      'localhost:5000',
      'team',
      'model',
      'v1.0',
      'localhost:5000/team/model:v1.0',
    ],
    [
      'example.com:8443/library/x',
      'example.com:8443',
      'library',
      'x',
      'latest',
      'example.com:8443/library/x:latest',
    ],
    ['_private/_m:_t', 'registry.ollama.ai', '_private', '_m', '_t', '_private/_m:_t'],
    [`${part80}:${part80}`, 'registry.ollama.ai', 'library', part80, part80, `${part80}:${part80}`],
    [`${part80}/m`, 'registry.ollama.ai', part80, 'm', 'latest', `${part80}/m:latest`],
    ['MyModel:Latest', 'registry.ollama.ai', 'library', 'MyModel', 'Latest', 'MyModel:Latest'],
  ];

  for (const [text, host, namespace, model, tag, display] of valid)
    it(`accepts “${text.length > 50 ? `${text.slice(0, 50)}…` : text}”`, () => {
      const name = ModelName.parse(text);
      expect([name.host, name.namespace, name.model, name.tag]).toEqual([
        host,
        namespace,
        model,
        tag,
      ]);
      expect(name.display).toBe(display);
      expect(name.full).toBe(`${host}/${namespace}/${model}:${tag}`);
      expect(ModelName.isValid(text)).toBeTrue();
      // The display form means the same model.
      expect(ModelName.parse(name.display).equals(name)).toBeTrue();
    });

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['llama 3', /spaces/],
    ['https://hf.co/a/b', /:\/\//],
    ['model:', /tag after “:” is empty/],
    [':tag', /model is empty/],
    ['/model', /namespace is empty/],
    ['a//model', /namespace is empty/],
    ['/ns/model', /host is empty/],
    ['a/b/c/d', /more than three/],
    ['-model', /model “-model” must start with/],
    ['.hidden', /must start with/],
    ['model:-tag', /tag “-tag” must start with/],
    ['-ns/model', /namespace “-ns” must start with/],
    ['.host/ns/model', /host “.host” must start with/],
    [part81, /model is longer than 80/],
    [`m:${part81}`, /tag is longer than 80/],
    [`${part81}/m`, /namespace is longer than 80/],
    [`${'h'.repeat(351)}/ns/m`, /host is longer than 350/],
    ['my.team/model', /namespace “my.team” contains “.”/],
    ['localhost:5000/model:tag', /contains “:”.*host\/namespace\/model/],
    ['a:b:c', /model “a:b” contains “:”/],
    ['model:v1/2', /namespace “model:v1” contains “:”/],
    ['mödel', /contains “ö”/],
    ['model@sha256', /contains “@”/],
    ['model:t+g', /tag “t\+g” contains “\+”/],
  ];

  for (const [text, reason] of invalid)
    it(`rejects “${text.length > 50 ? `${text.slice(0, 50)}…` : text}” saying why`, () => {
      let error: unknown = null;
      try {
        ModelName.parse(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidModelNameError);
      const nameError = error as InvalidModelNameError;
      expect(nameError.reason).toMatch(reason);
      expect(nameError.modelName).toBe(text);
      expect(nameError.retryable).toBeFalse();
      expect(nameError.message).toContain(nameError.reason);
      expect(ModelName.isValid(text)).toBeFalse();
    });

  it('accepts a host of exactly 350 characters', () => {
    expect(ModelName.isValid(`${'h'.repeat(350)}/ns/m`)).toBeTrue();
  });

  it('compares names without regard to case or spelled-out defaults', () => {
    const a = ModelName.parse('Llama3.2');
    expect(a.equals(ModelName.parse('llama3.2:LATEST'))).toBeTrue();
    expect(a.equals(ModelName.parse('REGISTRY.ollama.ai/Library/llama3.2:latest'))).toBeTrue();
    expect(a.equals(ModelName.parse('llama3.2:3b'))).toBeFalse();
    expect(a.equals(ModelName.parse('user/llama3.2'))).toBeFalse();
    expect(
      ModelName.parse('HF.co/Bartowski/X-GGUF:q4_k_m').equals(
        ModelName.parse('hf.co/bartowski/x-gguf:Q4_K_M'),
      ),
    ).toBeTrue();
  });

  it('leaves the default host and namespace out of the display form, whatever their case', () => {
    expect(ModelName.parse('Registry.Ollama.AI/LIBRARY/qwen3').display).toBe('qwen3:latest');
    expect(ModelName.parse('registry.ollama.ai/user/qwen3').display).toBe('user/qwen3:latest');
    expect(ModelName.parse('example.com/library/qwen3').display).toBe(
      'example.com/library/qwen3:latest',
    );
    expect(String(ModelName.parse('qwen3'))).toBe('qwen3:latest');
  });

  describe('splitTag', () => {
    const cases: [string, string, string | null][] = [
      // text, name, tag
      ['qwen3:8b', 'qwen3', '8b'],
      ['qwen3', 'qwen3', null],
      ['user/model:tag', 'user/model', 'tag'],
      ['hf.co/u/r:Q4_K_M', 'hf.co/u/r', 'Q4_K_M'],
      // The ':' of a port is not a tag's.
      ['localhost:5000/ns/m', 'localhost:5000/ns/m', null],
      ['localhost:5000/ns/m:v1', 'localhost:5000/ns/m', 'v1'],
      // Only the last ':' counts; what the parts are worth is parse's business.
      ['a:b:c', 'a:b', 'c'],
      ['m:', 'm', ''],
      [':t', '', 't'],
      ['', '', null],
    ];
    for (const [text, name, tag] of cases)
      it(`splits “${text}” into “${name}” and ${tag === null ? 'no tag' : `“${tag}”`}`, () => {
        expect(ModelName.splitTag(text)).toEqual([name, tag]);
      });
  });
});
