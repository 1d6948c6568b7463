/** What a GGUF header of the repository says about the model (see gguf-writer.ts). */
export interface HubArch {
  name: string;
  parameters: number;
  context: number;
  embedding: number;
  blocks: number;
  heads: number;
  kvHeads: number;
}

/** A file of a fake repository: its path from the root and its size in bytes. */
export interface HubFileData {
  path: string;
  size: number;
}

/** One fake Hub repository. */
export interface HubRepoData {
  id: string;
  downloads: number;
  likes: number;
  lastModified: string;
  createdAt: string;
  gated: false | 'auto' | 'manual';
  private: boolean;
  /** `gguf` among them makes it match `filter=gguf`. */
  tags: string[];
  arch: HubArch | null;
  files: HubFileData[];
}

const LLAMA_3B: HubArch = {
  name: 'llama',
  parameters: 3_212_749_824,
  context: 131_072,
  embedding: 3072,
  blocks: 28,
  heads: 24,
  kvHeads: 8,
};

const small = (path: string, size: number): HubFileData => ({ path, size });

function quants(prefix: string, sizes: Record<string, number>, folder = ''): HubFileData[] {
  return Object.entries(sizes).map(([quant, size]) => ({
    path: `${folder}${prefix}${quant}.gguf`,
    size,
  }));
}

/** The repositories the simulated Hub starts with (named and sized as on huggingface.co). */
export function hubRepos(): HubRepoData[] {
  return [
    {
      id: 'bartowski/Llama-3.2-3B-Instruct-GGUF',
      downloads: 1_234_567,
      likes: 180,
      lastModified: '2024-10-07T15:32:10.000Z',
      createdAt: '2024-09-25T18:37:59.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'facebook', 'meta', 'llama', 'text-generation', 'en'],
      arch: LLAMA_3B,
      files: [
        small('.gitattributes', 3_086),
        small('README.md', 9_415),
        small('Llama-3.2-3B-Instruct.imatrix', 3_389_954),
        ...quants('Llama-3.2-3B-Instruct-', {
          IQ3_M: 1_599_668_800,
          IQ4_XS: 1_828_843_200,
          Q3_K_L: 1_815_347_392,
          Q4_0: 1_917_190_848,
          Q4_0_4_4: 1_917_190_848,
          Q4_K_M: 2_019_377_344,
          Q4_K_S: 1_928_200_896,
          Q5_K_M: 2_322_153_664,
          Q6_K: 2_643_853_504,
          Q6_K_L: 2_741_927_616,
          Q8_0: 3_421_898_944,
          f16: 6_433_688_224,
        }),
      ],
    },
    {
      id: 'unsloth/Qwen3-30B-A3B-GGUF',
      downloads: 812_345,
      likes: 652,
      lastModified: '2025-06-14T09:12:44.000Z',
      createdAt: '2025-04-28T20:01:02.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'unsloth', 'qwen3', 'qwen3_moe', 'text-generation'],
      arch: {
        name: 'qwen3moe',
        parameters: 30_532_122_624,
        context: 40_960,
        embedding: 2048,
        blocks: 48,
        heads: 32,
        kvHeads: 4,
      },
      files: [
        small('.gitattributes', 3_902),
        small('README.md', 14_220),
        small('config.json', 1_231),
        ...quants('Qwen3-30B-A3B-', {
          'UD-IQ1_S': 8_362_815_808,
          'UD-Q2_K_XL': 11_811_428_160,
          'UD-Q4_K_XL': 17_715_663_616,
          Q4_K_M: 18_556_685_696,
          Q8_0: 32_483_931_520,
        }),
        small('BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf', 49_860_230_272),
        small('BF16/Qwen3-30B-A3B-BF16-00002-of-00002.gguf', 11_216_578_144),
      ],
    },
    {
      id: 'unsloth/gemma-3-4b-it-GGUF',
      downloads: 356_789,
      likes: 121,
      lastModified: '2025-05-01T11:05:31.000Z',
      createdAt: '2025-03-12T07:41:19.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'gemma3', 'unsloth', 'image-text-to-text'],
      arch: {
        name: 'gemma3',
        parameters: 3_880_263_168,
        context: 131_072,
        embedding: 2560,
        blocks: 34,
        heads: 8,
        kvHeads: 4,
      },
      files: [
        small('.gitattributes', 2_907),
        small('README.md', 11_030),
        ...quants('gemma-3-4b-it-', {
          Q4_K_M: 2_489_757_856,
          'UD-Q4_K_XL': 2_535_908_992,
          Q8_0: 4_130_401_536,
          BF16: 7_767_825_632,
        }),
        small('mmproj-BF16.gguf', 851_251_104),
        small('mmproj-F16.gguf', 851_251_104),
        small('mmproj-F32.gguf', 1_677_906_304),
      ],
    },
    {
      id: 'TheBloke/Mistral-7B-Instruct-v0.2-GGUF',
      downloads: 98_765,
      likes: 2_741,
      lastModified: '2023-12-11T22:23:57.000Z',
      createdAt: '2023-12-11T09:25:41.000Z',
      gated: false,
      private: false,
      tags: ['transformers', 'gguf', 'mistral', 'finetuned', 'text-generation'],
      arch: {
        name: 'llama',
        parameters: 7_241_732_096,
        context: 32_768,
        embedding: 4096,
        blocks: 32,
        heads: 32,
        kvHeads: 8,
      },
      files: [
        small('.gitattributes', 2_153),
        small('README.md', 28_104),
        small('config.json', 31),
        ...quants('mistral-7b-instruct-v0.2.', {
          Q2_K: 3_083_097_888,
          Q3_K_S: 3_164_567_840,
          Q3_K_M: 3_518_985_504,
          Q3_K_L: 3_822_025_024,
          Q4_0: 4_108_916_512,
          Q4_K_S: 4_140_374_304,
          Q4_K_M: 4_368_439_584,
          Q5_0: 4_997_716_256,
          Q5_K_S: 4_997_716_256,
          Q5_K_M: 5_131_409_696,
          Q6_K: 5_942_065_440,
          Q8_0: 7_695_857_952,
        }),
      ],
    },
    {
      id: 'bartowski/Meta-Llama-3.1-70B-Instruct-GGUF',
      downloads: 45_210,
      likes: 232,
      lastModified: '2024-07-28T03:18:20.000Z',
      createdAt: '2024-07-23T16:03:51.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'facebook', 'meta', 'llama-3', 'text-generation'],
      arch: {
        name: 'llama',
        parameters: 70_553_706_496,
        context: 131_072,
        embedding: 8192,
        blocks: 80,
        heads: 64,
        kvHeads: 8,
      },
      files: [
        small('.gitattributes', 2_880),
        small('README.md', 10_212),
        ...quants('Meta-Llama-3.1-70B-Instruct-', {
          IQ2_M: 24_119_150_112,
          Q3_K_M: 34_267_494_880,
          Q4_K_M: 42_520_395_328,
        }),
        small(
          'Meta-Llama-3.1-70B-Instruct-Q8_0/Meta-Llama-3.1-70B-Instruct-Q8_0-00001-of-00002.gguf',
          39_862_452_896,
        ),
        small(
          'Meta-Llama-3.1-70B-Instruct-Q8_0/Meta-Llama-3.1-70B-Instruct-Q8_0-00002-of-00002.gguf',
          35_113_123_264,
        ),
        // The second part of three was never uploaded.
        small(
          'Meta-Llama-3.1-70B-Instruct-Q6_K/Meta-Llama-3.1-70B-Instruct-Q6_K-00001-of-00003.gguf',
          19_919_512_064,
        ),
        small(
          'Meta-Llama-3.1-70B-Instruct-Q6_K/Meta-Llama-3.1-70B-Instruct-Q6_K-00003-of-00003.gguf',
          18_102_388_160,
        ),
      ],
    },
    {
      id: 'ggml-org/gpt-oss-20b-GGUF',
      downloads: 401_020,
      likes: 188,
      lastModified: '2025-08-08T14:40:02.000Z',
      createdAt: '2025-08-05T17:01:13.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'gpt-oss', 'text-generation'],
      arch: {
        name: 'gpt-oss',
        parameters: 20_914_757_184,
        context: 131_072,
        embedding: 2880,
        blocks: 24,
        heads: 64,
        kvHeads: 8,
      },
      files: [
        small('.gitattributes', 1_570),
        small('README.md', 3_211),
        small('gpt-oss-20b-mxfp4.gguf', 12_109_566_560),
      ],
    },
    {
      // Qwen's own repository: lower-case names, most quants split in two.
      id: 'Qwen/Qwen2.5-7B-Instruct-GGUF',
      downloads: 150_302,
      likes: 460,
      lastModified: '2024-09-20T01:45:12.000Z',
      createdAt: '2024-09-17T13:03:20.000Z',
      gated: false,
      private: false,
      tags: ['gguf', 'chat', 'qwen2', 'text-generation', 'en'],
      arch: {
        name: 'qwen2',
        parameters: 7_615_616_512,
        context: 32_768,
        embedding: 3584,
        blocks: 28,
        heads: 28,
        kvHeads: 4,
      },
      files: [
        small('.gitattributes', 2_452),
        small('LICENSE', 11_343),
        small('README.md', 4_917),
        small('qwen2.5-7b-instruct-q2_k.gguf', 3_015_939_360),
        small('qwen2.5-7b-instruct-q3_k_m.gguf', 3_808_391_456),
        small('qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf', 3_993_201_344),
        small('qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf', 689_872_288),
        small('qwen2.5-7b-instruct-q8_0-00001-of-00003.gguf', 3_987_711_552),
        small('qwen2.5-7b-instruct-q8_0-00002-of-00003.gguf', 3_991_290_752),
        small('qwen2.5-7b-instruct-q8_0-00003-of-00003.gguf', 115_089_792),
      ],
    },
    {
      id: 'google/gemma-3-4b-it-qat-q4_0-gguf',
      downloads: 210_430,
      likes: 195,
      lastModified: '2025-04-17T10:31:57.000Z',
      createdAt: '2025-04-03T06:22:28.000Z',
      gated: 'manual',
      private: false,
      tags: ['gguf', 'gemma3', 'google', 'image-text-to-text'],
      arch: {
        name: 'gemma3',
        parameters: 3_880_263_168,
        context: 131_072,
        embedding: 2560,
        blocks: 34,
        heads: 8,
        kvHeads: 4,
      },
      files: [
        small('.gitattributes', 1_676),
        small('README.md', 18_312),
        small('gemma-3-4b-it-q4_0.gguf', 3_155_051_328),
        small('mmproj-model-f16-4B.gguf', 851_251_104),
      ],
    },
    {
      // Not GGUF: `filter=gguf` leaves it out, though its name matches "llama".
      id: 'meta-llama/Llama-3.2-3B-Instruct',
      downloads: 2_345_678,
      likes: 1_692,
      lastModified: '2024-10-24T15:07:29.000Z',
      createdAt: '2024-09-18T15:19:20.000Z',
      gated: 'manual',
      private: false,
      tags: ['transformers', 'safetensors', 'llama', 'text-generation'],
      arch: null,
      files: [
        small('config.json', 878),
        small('model-00001-of-00002.safetensors', 4_965_799_096),
        small('model-00002-of-00002.safetensors', 1_459_729_952),
      ],
    },
    {
      id: 'paddock-test/Private-Llama-GGUF',
      downloads: 3,
      likes: 0,
      lastModified: '2025-01-02T08:00:00.000Z',
      createdAt: '2025-01-02T08:00:00.000Z',
      gated: false,
      private: true,
      tags: ['gguf', 'llama'],
      arch: LLAMA_3B,
      files: [small('Private-Llama-Q4_K_M.gguf', 2_019_377_344)],
    },
  ];
}
