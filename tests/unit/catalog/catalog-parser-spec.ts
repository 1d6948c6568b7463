import type { AvailableModel } from '../../../src/catalog/available-model.js';
import { CatalogFormatError } from '../../../src/catalog/errors.js';
import { parseCatalog } from '../../../src/catalog/catalog-parser.js';
import { fixtureJson, shippedCatalogText } from './catalog-fixtures.js';

function byName(models: AvailableModel[], name: string): AvailableModel {
  const found = models.find((model) => model.name === name);
  if (!found) throw new Error(`no model ${name}`);
  return found;
}

function tagNames(model: AvailableModel): string[] {
  return model.tags.map((tag) => tag.name);
}

function formatError(json: unknown): CatalogFormatError {
  try {
    parseCatalog(json);
  } catch (error) {
    if (error instanceof CatalogFormatError) return error;
    throw error;
  }
  throw new Error('expected a CatalogFormatError');
}

describe('Catalog parser', () => {
  describe('library format', () => {
    const { models, skipped } = parseCatalog(fixtureJson('library.json'));

    it('reads every family in order', () => {
      expect(skipped).toBe(0);
      expect(models.map((model) => model.name)).toEqual([
        'nomic-embed-text',
        'llama3.2',
        'deepseek-v3.2',
        'qwen3-coder',
        'cogito-2.1',
        'aha2025/llama-joycaption-beta-one-hf-llava',
      ]);
    });

    it('reads descriptions, features, downloads and tag details', () => {
      const nomic = byName(models, 'nomic-embed-text');
      expect(nomic.description).toBe(
        'A high-performing open embedding model with a large token context window.',
      );
      expect(nomic.features).toEqual(['embedding']);
      expect(nomic.downloads).toBe(48_500_000);
      expect(tagNames(nomic)).toEqual(['latest', 'v1.5']);
      const latest = nomic.tags[0];
      expect(latest.sizeBytes).toBe(274_000_000);
      expect(latest.context).toBe('2K');
      expect(latest.input).toBe('Text');
      expect(latest.isCloud).toBeFalse();
    });

    it('sorts tags and picks defaults', () => {
      const llama = byName(models, 'llama3.2');
      expect(tagNames(llama)).toEqual(['1b', 'latest', '3b', '3b-instruct-fp16']);
      // The largest plain size tag: the fp16 variant is for people who ask for it.
      expect(llama.defaultTag?.name).toBe('latest');
      expect(llama.sizeRange).toEqual({ min: 1.3e9, max: 6.4e9 });
      const coder = byName(models, 'qwen3-coder');
      expect(tagNames(coder)).toEqual(['latest', '30b', '480b', '480b-cloud']);
      expect(coder.defaultTag?.name).toBe('latest');
      expect(byName(models, 'cogito-2.1').defaultTag?.name).toBe('671b');
    });

    it('marks cloud-only families, with no default', () => {
      const deepseek = byName(models, 'deepseek-v3.2');
      expect(deepseek.isCloudOnly).toBeTrue();
      expect(deepseek.defaultTag).toBeNull();
      expect(deepseek.tags[0].isCloud).toBeTrue();
      expect(deepseek.tags[0].sizeBytes).toBeNull();
      expect(deepseek.features).toEqual(['tools', 'thinking']);
    });

    it('reads community models with null downloads', () => {
      const community = byName(models, 'aha2025/llama-joycaption-beta-one-hf-llava');
      expect(community.isCommunity).toBeTrue();
      expect(community.downloads).toBeNull();
      expect(community.description).toBe('');
      expect(community.tags[0].input).toBe('Text, Image');
      expect(community.defaultTag?.pullName(community.name)).toBe(
        'aha2025/llama-joycaption-beta-one-hf-llava:Q4_K_M',
      );
    });
  });

  it('reads plain tag lists, dropping repeated and invalid tags', () => {
    const { models, skipped } = parseCatalog(fixtureJson('flat-tags.json'));
    expect(skipped).toBe(0);
    expect(models.map((model) => model.name)).toEqual(['llama3.2', 'mistral', 'phi3', 'tinyllama']);
    const llama = byName(models, 'llama3.2');
    expect(tagNames(llama)).toEqual(['latest', '1b', '3b']);
    expect(llama.tags.every((tag) => tag.sizeBytes === null && !tag.isCloud)).toBeTrue();
    expect(llama.defaultTag?.name).toBe('latest');
    expect(llama.sizeRange).toBeNull();
    const mistral = byName(models, 'mistral');
    expect(mistral.description).toBe('');
    expect(tagNames(mistral)).toEqual(['7b', 'latest']);
    expect(mistral.defaultTag?.name).toBe('latest');
    // Listed without tags: what `ollama pull name` fetches.
    expect(tagNames(byName(models, 'phi3'))).toEqual(['latest']);
    expect(tagNames(byName(models, 'tinyllama'))).toEqual(['latest']);
  });

  it('groups per-tag entries into families, with sizes in bytes', () => {
    const { models, skipped } = parseCatalog(fixtureJson('per-tag.json'));
    expect(models.map((model) => model.name)).toEqual(['llama3.2', 'gemma3']);
    // "gemma3:bad tag" and the second "llama3.2:3b".
    expect(skipped).toBe(2);
    const llama = byName(models, 'llama3.2');
    expect(tagNames(llama)).toEqual(['1b', '3b']);
    expect(llama.tags.map((tag) => tag.sizeBytes)).toEqual([1_321_098_329, 2_019_393_189]);
    expect(llama.defaultTag?.name).toBe('3b');
    const gemma = byName(models, 'gemma3');
    // "gemma3" alone is its latest tag; a negative size is no size.
    expect(tagNames(gemma)).toEqual(['latest', '4b', '270m']);
    expect(gemma.tags.map((tag) => tag.sizeBytes)).toEqual([3.3e9, 3_338_801_804, null]);
  });

  it('reads a catalog wrapped as {"models": […]}', () => {
    const { models, skipped } = parseCatalog(fixtureJson('wrapped.json'));
    expect(skipped).toBe(0);
    expect(models.map((model) => model.name)).toEqual(['llama3.2', 'bge-m3']);
    expect(byName(models, 'bge-m3').defaultTag?.sizeBytes).toBe(1.2e9);
  });

  it('mixes formats within one document', () => {
    const { models } = parseCatalog([
      { name: 'a', tags: ['latest', { name: '7b', size: '4GB' }] },
      { name: 'b:1b', size: 1000 },
    ]);
    expect(models.map((model) => tagNames(model))).toEqual([['7b', 'latest'], ['1b']]);
  });

  it('skips and counts junk entries, and tolerates nulls and wrong types in good ones', () => {
    const { models, skipped } = parseCatalog(fixtureJson('junk.json'));
    expect(models.map((model) => model.name)).toEqual(['survivor', 'other']);
    expect(skipped).toBe(13);
    const survivor = byName(models, 'survivor');
    expect(survivor.description).toBe('');
    expect(survivor.features).toEqual([]);
    expect(survivor.downloads).toBeNull();
    expect(tagNames(survivor)).toEqual(['ok', 'sized']);
    const sized = survivor.findTag('sized')!;
    expect(sized.sizeBytes).toBeNull();
    expect(sized.context).toBe('2048');
    expect(sized.input).toBeNull();
    const other = byName(models, 'other');
    expect(other.features).toEqual([]);
    expect(other.downloads).toBeNull();
    expect(tagNames(other)).toEqual(['latest']);
  });

  it('keeps descriptions plain, on one line, without control characters and of sane length', () => {
    const { models } = parseCatalog([
      {
        name: 'a',
        description: '  Bold <b>claims</b> &amp;\n\tmore\u0000\u0007\u009b\u202e  ',
        tags: [],
      },
      { name: 'b', description: `${'x'.repeat(2000)}`, tags: [] },
      { name: 'c', description: `${'x'.repeat(498)}😀😀`, tags: [] },
      { name: 'd', description: 'lone \ud800 half', tags: [] },
    ]);
    // Markup stays as text: the UI escapes it.
    expect(models[0].description).toBe('Bold <b>claims</b> &amp; more');
    expect(models[1].description.length).toBe(500);
    expect(models[1].description.endsWith('…')).toBeTrue();
    expect(models[2].description).toBe(`${'x'.repeat(498)}…`);
    expect(models[3].description).toBe('lone half');
  });

  it('cleans features and tag details', () => {
    const { models } = parseCatalog([
      {
        name: 'a',
        features: ['Tools', 'tools', ' vision ', '<script>', 7, null, 'x'.repeat(40)],
        tags: [{ name: 'latest', size: '1GB', context: '-', input: 'Text,\nImage' }],
      },
    ]);
    expect(models[0].features).toEqual(['tools', 'vision']);
    expect(models[0].tags[0].context).toBeNull();
    expect(models[0].tags[0].input).toBe('Text, Image');
  });

  it('keeps the first of families that differ only in case', () => {
    const { models, skipped } = parseCatalog([
      { name: 'Llama', tags: ['latest'] },
      { name: 'llama', tags: ['7b'] },
    ]);
    expect(models.map((model) => model.name)).toEqual(['Llama']);
    expect(skipped).toBe(1);
  });

  it('accepts names with a namespace or a registry host', () => {
    const { models, skipped } = parseCatalog([
      { name: 'user/model', tags: ['latest'] },
      { name: 'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF', tags: ['Q4_K_M'] },
      { name: 'localhost:5000/team/model', tags: ['v1'] },
    ]);
    expect(skipped).toBe(0);
    expect(models[1].defaultTag?.pullName(models[1].name)).toBe(
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
    );
    expect(models[2].name).toBe('localhost:5000/team/model');
  });

  it('throws CatalogFormatError only when nothing in the document is usable', () => {
    expect(formatError(null).message).toContain('neither a list of models');
    expect(formatError('text').detail).toContain('neither a list of models');
    expect(formatError({ data: [] }).detail).toContain('neither a list of models');
    expect(formatError([]).detail).toBe('the catalog lists no models');
    expect(formatError({ models: [] }).detail).toBe('the catalog lists no models');
    expect(formatError([null, { name: '' }, 3]).detail).toBe('none of its 3 entries names a model');
    expect(formatError([null, { name: '' }, 3]).message).toBe(
      'The model catalog cannot be used: none of its 3 entries names a model.',
    );
  });

  it('reads the catalog shipped with the app', () => {
    const { models, skipped } = parseCatalog(JSON.parse(shippedCatalogText()));
    expect(skipped).toBe(0);
    expect(models.length).toBe(60);
    expect(models[0].name).toBe('llama3.1');
    expect(models.every((model) => model.tags.length > 0)).toBeTrue();
    const local = models.filter((model) => !model.isCloudOnly);
    expect(local.every((model) => model.defaultTag?.sizeBytes)).toBeTrue();
  });

  it('parses a big catalog (5,000 families, 25,000 tags)', () => {
    const families = [];
    for (let i = 0; i < 5000; i++)
      families.push({
        name: i % 4 === 0 ? `user${i % 50}/model-${i}` : `family-${i}`,
        description: `Synthetic family number ${i}.`,
        features: ['tools'],
        tags: ['latest', '1b', '3b', '8b', '70b'].map((tag, k) => ({
          name: tag,
          size: `${(k + 1) * 1.5}GB`,
          context: '128K',
          input: 'Text',
        })),
        downloads: i,
      });
    const { models, skipped } = parseCatalog(families);
    expect(skipped).toBe(0);
    expect(models.length).toBe(5000);
    expect(models.reduce((sum, model) => sum + model.tags.length, 0)).toBe(25_000);
    expect(models[4999].defaultTag?.name).toBe('70b');
  });
});
