import {
  bitsPerWeight,
  chooseDefault,
  isPullable,
  listQuants,
  pullName,
  quantOfFile,
  type Quant,
} from '../../../src/hub/quants.js';
import type { HubFile } from '../../../src/hub/types.js';

const GB = 1e9;
const file = (path: string, size = GB): HubFile => ({ path, size });
const names = (quants: readonly Quant[]) => quants.map((quant) => quant.name);

describe('Hub quantOfFile', () => {
  it('reads the quant from the naming schemes in use', () => {
    const cases: [string, string][] = [
      ['Llama-3.2-3B-Instruct-Q4_K_M.gguf', 'Q4_K_M'], // bartowski
      ['qwen2.5-7b-instruct-q4_k_m.gguf', 'Q4_K_M'], // Qwen, lower case
      ['mistral-7b-instruct-v0.2.Q5_K_S.gguf', 'Q5_K_S'], // TheBloke, after a dot
      ['Llama-3.2-3B-Instruct-IQ3_XXS.gguf', 'IQ3_XXS'],
      ['Llama-3.2-3B-Instruct-Q4_0_4_4.gguf', 'Q4_0_4_4'],
      ['Llama-3.2-3B-Instruct-IQ4_NL.gguf', 'IQ4_NL'],
      ['Qwen3-30B-A3B-BF16.gguf', 'BF16'],
      ['Llama-3.2-3B-Instruct-f16.gguf', 'F16'],
      ['Qwen3-30B-A3B-UD-Q4_K_XL.gguf', 'UD-Q4_K_XL'], // unsloth's dynamic quants
      ['Qwen3-30B-A3B-UD-IQ1_S.gguf', 'UD-IQ1_S'],
      ['Llama-3.2-3B-Instruct-Q8_0.gguf', 'Q8_0'],
      ['Llama-3.2-3B-Instruct-Q6_K_L.gguf', 'Q6_K_L'],
      ['gpt-oss-20b-mxfp4.gguf', 'MXFP4'],
      ['ggml-model-Q4_K_M.gguf', 'Q4_K_M'],
      ['Meta-Llama-3.1-70B-Instruct-Q8_0/Meta-Llama-3.1-70B-Instruct-Q8_0.gguf', 'Q8_0'],
      ['model_TQ1_0.gguf', 'TQ1_0'],
      ['phi-2.Q4_K_M.GGUF', 'Q4_K_M'],
    ];
    for (const [path, quant] of cases)
      expect(quantOfFile(path)?.quant).withContext(path).toBe(quant);
  });

  it('reads which part of a split file it is', () => {
    expect(quantOfFile('BF16/Qwen3-30B-A3B-BF16-00002-of-00003.gguf')).toEqual({
      quant: 'BF16',
      part: 2,
      parts: 3,
    });
    expect(quantOfFile('qwen2.5-7b-instruct-q8_0-00001-of-00003.gguf')?.quant).toBe('Q8_0');
    expect(quantOfFile('x-Q8_0-00004-of-00003.gguf')).toBeNull();
  });

  it('ignores what is not GGUF weights', () => {
    for (const path of [
      'README.md',
      '.gitattributes',
      'config.json',
      'model-00001-of-00002.safetensors',
      'Llama-3.2-3B-Instruct.imatrix',
      'imatrix-Q4_K_M.gguf',
      'mmproj-F16.gguf',
      'mmproj-model-f16-4B.gguf',
      'Llama-3.2-3B-Instruct-Q4_K_M.gguf.part',
      'some-model.gguf', // names no quant
      'Qwen3-30B-A3B.gguf',
    ])
      expect(quantOfFile(path)).withContext(path).toBeNull();
  });
});

describe('Hub bitsPerWeight', () => {
  it('knows llama.cpp schemes and derives variants from their base', () => {
    expect(bitsPerWeight('Q4_K_M')).toBe(4.89);
    expect(bitsPerWeight('UD-Q4_K_XL')).toBe(4.89);
    expect(bitsPerWeight('Q6_K_L')).toBe(6.56);
    expect(bitsPerWeight('Q4_0_4_4')).toBe(4.5);
    expect(bitsPerWeight('BF16')).toBe(16);
    expect(bitsPerWeight('Q7_X')).toBe(7.5);
  });
});

describe('Hub listQuants', () => {
  it('lists a bartowski repository smallest first, Q4_K_M the default', () => {
    const list = listQuants([
      file('.gitattributes', 3000),
      file('README.md', 9000),
      file('Llama-3.2-3B-Instruct.imatrix', 3e6),
      file('Llama-3.2-3B-Instruct-Q8_0.gguf', 3.42 * GB),
      file('Llama-3.2-3B-Instruct-Q4_K_M.gguf', 2.02 * GB),
      file('Llama-3.2-3B-Instruct-IQ3_M.gguf', 1.6 * GB),
      file('Llama-3.2-3B-Instruct-f16.gguf', 6.43 * GB),
    ]);
    expect(names(list.quants)).toEqual(['IQ3_M', 'Q4_K_M', 'Q8_0', 'F16']);
    expect(list.preferred?.name).toBe('Q4_K_M');
    expect(list.quants[1].size).toBe(2.02 * GB);
    expect(list.visionProjector).toBeNull();
  });

  it('counts a split file as one quant with the size of all its parts', () => {
    const list = listQuants([
      file('Qwen3-30B-A3B-Q4_K_M.gguf', 18.6 * GB),
      file('BF16/Qwen3-30B-A3B-BF16-00002-of-00002.gguf', 11.2 * GB),
      file('BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf', 49.9 * GB),
    ]);
    expect(names(list.quants)).toEqual(['Q4_K_M', 'BF16']);
    const bf16 = list.quants[1];
    expect(bf16.size).toBeCloseTo(61.1 * GB, -3);
    expect(bf16.parts).toBe(2);
    expect(bf16.complete).toBeTrue();
    expect(bf16.files.map((part) => part.path)).toEqual([
      'BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf',
      'BF16/Qwen3-30B-A3B-BF16-00002-of-00002.gguf',
    ]);
    // The Hub refuses split files to Ollama.
    expect(isPullable(bf16)).toBeFalse();
  });

  it('says when parts of a split file are missing', () => {
    const list = listQuants([
      file('M-Q6_K/M-Q6_K-00001-of-00003.gguf', 20 * GB),
      file('M-Q6_K/M-Q6_K-00003-of-00003.gguf', 18 * GB),
      file('M-Q4_K_M.gguf', 42 * GB),
    ]);
    const q6 = list.quants.find((quant) => quant.name === 'Q6_K')!;
    expect(q6.complete).toBeFalse();
    expect(q6.files.length).toBe(2);
    expect(q6.parts).toBe(3);
    expect(q6.size).toBe(38 * GB);
  });

  it('takes the same quant in any case as one, keeping a file Ollama can pull', () => {
    const list = listQuants([
      file('q8_0/model-q8_0-00001-of-00002.gguf', 4 * GB),
      file('q8_0/model-q8_0-00002-of-00002.gguf', 4 * GB),
      file('model-Q8_0.gguf', 8 * GB),
    ]);
    expect(list.quants.length).toBe(1);
    expect(isPullable(list.quants[0])).toBeTrue();
    expect(list.quants[0].files[0].path).toBe('model-Q8_0.gguf');
  });

  it('notes a vision projector and leaves it out of the quants', () => {
    const list = listQuants([
      file('gemma-3-4b-it-Q4_K_M.gguf', 2.5 * GB),
      file('mmproj-F16.gguf', 0.85 * GB),
    ]);
    expect(names(list.quants)).toEqual(['Q4_K_M']);
    expect(list.visionProjector?.path).toBe('mmproj-F16.gguf');
  });

  it('is empty for a repository without GGUF files', () => {
    const list = listQuants([file('model-00001-of-00002.safetensors'), file('config.json')]);
    expect(list.quants).toEqual([]);
    expect(list.preferred).toBeNull();
  });
});

describe('Hub chooseDefault', () => {
  const quants = (...paths: [string, number][]) =>
    listQuants(paths.map(([path, size]) => file(path, size))).quants;

  it('takes Q4_K_M whatever the case of its file name', () => {
    expect(chooseDefault(quants(['m-q8_0.gguf', 8], ['m-q4_k_m.gguf', 4]))?.name).toBe('Q4_K_M');
  });

  it('without Q4_K_M, takes the nearest in bits per weight among those of 4 bits or more', () => {
    // unsloth's dynamic Q4 is Q4_K with some tensors larger: nearest to Q4_K_M.
    expect(
      chooseDefault(quants(['m-UD-Q4_K_XL.gguf', 5], ['m-Q3_K_M.gguf', 3], ['m-Q8_0.gguf', 8]))
        ?.name,
    ).toBe('UD-Q4_K_XL');
    // Q4_0 (4.5) is nearer Q4_K_M's 4.89 than Q5_K_M (5.69).
    expect(
      chooseDefault(quants(['m-Q5_K_M.gguf', 5], ['m-Q4_0.gguf', 4], ['m-IQ3_XXS.gguf', 3]))?.name,
    ).toBe('Q4_0');
    // Never below 4 bits while there is something at 4 bits or more.
    expect(chooseDefault(quants(['m-Q3_K_M.gguf', 3], ['m-Q8_0.gguf', 8]))?.name).toBe('Q8_0');
    expect(chooseDefault(quants(['gpt-oss-20b-mxfp4.gguf', 12]))?.name).toBe('MXFP4');
  });

  it('passes over Q4_K_M when it is split, and takes the most bits when all are below 4', () => {
    expect(
      chooseDefault(
        quants(
          ['q-q4_k_m-00001-of-00002.gguf', 4],
          ['q-q4_k_m-00002-of-00002.gguf', 1],
          ['q-q2_k.gguf', 3],
          ['q-q3_k_m.gguf', 3.8],
        ),
      )?.name,
    ).toBe('Q3_K_M');
  });

  it('is null when nothing can be pulled', () => {
    expect(
      chooseDefault(quants(['m-Q8_0-00001-of-00002.gguf', 4], ['m-Q8_0-00002-of-00002.gguf', 4])),
    ).toBeNull();
  });
});

describe('Hub pullName', () => {
  it('is hf.co/ID:QUANT', () => {
    const [quant] = listQuants([file('Llama-3.2-3B-Instruct-q4_k_m.gguf')]).quants;
    expect(pullName('bartowski/Llama-3.2-3B-Instruct-GGUF', quant)).toBe(
      'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M',
    );
  });
});
