import GLib from 'gi://GLib';

import { AvailableModel } from '../../../src/catalog/available-model.js';
import { parseCatalog } from '../../../src/catalog/catalog-parser.js';
import { ModelTag } from '../../../src/catalog/model-tag.js';
import {
  findSizeVariant,
  groupSizes,
  pickDefaultSize,
  sizeTokenOf,
  type SizeChoice,
  type SizeFit,
} from '../../../src/catalog/size-variants.js';
import { shippedCatalogText } from './catalog-fixtures.js';

/** Real tag lists: qwen3, gemma3 and qwen3-coder as ollama.com listed them (UI fixture). */
function fixtureModels(): AvailableModel[] {
  const path = GLib.build_filenamev([
    GLib.get_current_dir(),
    'tests',
    'ui',
    'fixtures',
    'catalog-default-sizes.json',
  ]);
  const text = new TextDecoder().decode(GLib.file_get_contents(path)[1]);
  return parseCatalog(JSON.parse(text)).models;
}

function family(name: string): AvailableModel {
  const found =
    fixtureModels().find((model) => model.name === name) ??
    parseCatalog(JSON.parse(shippedCatalogText())).models.find((model) => model.name === name);
  if (!found) throw new Error(`no ${name} in the fixtures`);
  return found;
}

/** llama3.2 as ollama.com lists it (2026-04), without the -text builds. */
function llama32(): AvailableModel {
  const tags = [
    ['latest', '2.0GB'],
    ['1b', '1.3GB'],
    ['3b', '2.0GB'],
    ['1b-instruct-q4_K_M', '808MB'],
    ['1b-instruct-q8_0', '1.3GB'],
    ['1b-instruct-fp16', '2.5GB'],
    ['3b-instruct-q4_K_M', '2.0GB'],
    ['3b-instruct-q8_0', '3.4GB'],
    ['3b-instruct-fp16', '6.4GB'],
  ].map(([name, size]) => new ModelTag(name, ModelTag.parseSize(size)));
  return new AvailableModel({ name: 'llama3.2', tags });
}

function sizesOf(choices: readonly SizeChoice[]): string[] {
  return choices.map((choice) => choice.size);
}

function variantsOf(choices: readonly SizeChoice[], size: string): string[] {
  const choice = choices.find((item) => item.size === size);
  return choice ? choice.variants.map((tag) => tag.name) : [];
}

describe('Catalog size variants', () => {
  describe('size tokens', () => {
    it('reads parameter sizes, including experts and effective sizes', () => {
      expect(
        ['0.6b', '270m', '8b-q8_0', '16x17b', 'e2b-it-fp16', '235b-a22b'].map(sizeTokenOf),
      ).toEqual(['0.6b', '270m', '8b', '16x17b', 'e2b', '235b']);
    });

    it('finds none in aliases and quantisations', () => {
      expect(['latest', 'instruct', 'v1.5', 'Q4_K_M', 'cloud', 'l12-v2'].map(sizeTokenOf)).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
    });
  });

  describe('qwen3 (58 tags)', () => {
    const sizes = groupSizes(family('qwen3').tags);

    it('offers the plain sizes, smallest first', () => {
      expect(sizesOf(sizes)).toEqual(['0.6b', '1.7b', '4b', '8b', '14b', '30b', '32b', '235b']);
    });

    it('folds latest into the size of the same download', () => {
      expect(variantsOf(sizes, '8b')).toEqual(['8b', 'latest', '8b-q4_K_M', '8b-q8_0', '8b-fp16']);
    });

    it('lists the default first, then quantisations and builds by download', () => {
      expect(variantsOf(sizes, '4b')).toEqual([
        '4b',
        '4b-instruct',
        '4b-instruct-2507-q4_K_M',
        '4b-thinking',
        '4b-thinking-2507-q4_K_M',
        '4b-q4_K_M',
        '4b-instruct-2507-q8_0',
        '4b-thinking-2507-q8_0',
        '4b-q8_0',
        '4b-instruct-2507-fp16',
        '4b-thinking-2507-fp16',
        '4b-fp16',
      ]);
    });

    it('keeps every tag exactly once', () => {
      const all = sizes.flatMap((choice) => choice.variants.map((tag) => tag.name)).sort();
      expect(all).toEqual(
        family('qwen3')
          .tags.map((tag) => tag.name)
          .sort(),
      );
    });

    it('finds a typed tag’s size and variant', () => {
      expect(findSizeVariant(sizes, '8B-Q8_0')).toEqual({ size: 3, variant: 3 });
      expect(findSizeVariant(sizes, 'latest')).toEqual({ size: 3, variant: 1 });
      expect(findSizeVariant(sizes, '9b')).toBeNull();
    });
  });

  it('gemma3: latest joins 4b, cloud builds are variants of their size', () => {
    const sizes = groupSizes(family('gemma3').tags);
    expect(sizesOf(sizes)).toEqual(['270m', '1b', '4b', '12b', '27b']);
    const fourB = variantsOf(sizes, '4b');
    expect(fourB.slice(0, 1)).toEqual(['4b']);
    expect(fourB).toContain('latest');
    expect(fourB[fourB.length - 1]).toBe('4b-cloud');
    expect(sizes.some((choice) => choice.isCloud)).toBeFalse();
  });

  it('qwen3-coder: a cloud build stays with its size', () => {
    const sizes = groupSizes(family('qwen3-coder').tags);
    expect(sizesOf(sizes)).toEqual(['30b', '480b']);
    expect(variantsOf(sizes, '480b')).toEqual([
      '480b',
      '480b-a35b-q4_K_M',
      '480b-a35b-q8_0',
      '480b-a35b-fp16',
      '480b-cloud',
    ]);
  });

  it('llama3.2: latest joins 3b', () => {
    const sizes = groupSizes(llama32().tags);
    expect(sizesOf(sizes)).toEqual(['1b', '3b']);
    expect(variantsOf(sizes, '3b')).toEqual([
      '3b',
      'latest',
      '3b-instruct-q4_K_M',
      '3b-instruct-q8_0',
      '3b-instruct-fp16',
    ]);
  });

  it('llama3: instruct and text builds of no size join 8b', () => {
    const sizes = groupSizes(family('llama3').tags);
    expect(sizesOf(sizes)).toEqual(['8b', '70b']);
    expect(variantsOf(sizes, '8b')).toEqual(
      jasmine.arrayContaining(['instruct', 'text', 'latest']),
    );
  });

  it('a size without a plain tag defaults to the alias ollama pulls (nomic-embed-text)', () => {
    const sizes = groupSizes(family('nomic-embed-text').tags);
    expect(sizesOf(sizes)).toEqual(['137m']);
    expect(sizes[0].defaultTag.name).toBe('latest');
  });

  it('a tag that matches no size stays an entry of its own', () => {
    const sizes = groupSizes(family('gemini-3-flash-preview').tags);
    expect(sizesOf(sizes)).toEqual(['latest', 'cloud']);
    expect(sizes.every((choice) => choice.isCloud && !choice.isParameterSize)).toBeTrue();
  });

  it('an alias two sizes could be stays apart', () => {
    const tags = [new ModelTag('latest', 4e9), new ModelTag('7b', 4e9), new ModelTag('8b', 4e9)];
    expect(sizesOf(groupSizes(tags))).toEqual(['7b', '8b', 'latest']);
  });

  describe('the default size', () => {
    const qwen3 = family('qwen3');
    const sizes = groupSizes(qwen3.tags);
    const fits =
      (kinds: Record<string, SizeFit>) =>
      (choice: SizeChoice): SizeFit | null =>
        kinds[choice.size] ?? null;

    it('without advice, is the size of the catalog’s default tag', () => {
      expect(sizes[pickDefaultSize(sizes, qwen3.defaultTag, () => null)].size).toBe('32b');
    });

    it('is the largest size that fits in GPU memory', () => {
      const advice = fits({
        '0.6b': { kind: 'fits-gpu' },
        '4b': { kind: 'fits-gpu' },
        '8b': { kind: 'fits-gpu' },
        '14b': { kind: 'partly-cpu' },
        '32b': { kind: 'too-large' },
      });
      expect(sizes[pickDefaultSize(sizes, qwen3.defaultTag, advice)].size).toBe('8b');
    });

    it('follows the catalog while nothing is known to fit', () => {
      const advice = fits({ '14b': { kind: 'partly-cpu' }, '8b': { kind: 'unknown' } });
      expect(sizes[pickDefaultSize(sizes, qwen3.defaultTag, advice)].size).toBe('32b');
    });

    it('is the size the adviser prefers', () => {
      const advice = fits({
        '8b': { kind: 'fits-gpu' },
        '14b': { kind: 'partly-cpu', preferred: true },
      });
      expect(sizes[pickDefaultSize(sizes, qwen3.defaultTag, advice)].size).toBe('14b');
    });

    it('is never a cloud size or an entry without a size', () => {
      const tags = [
        new ModelTag('latest', null, { cloudOnly: true }),
        new ModelTag('big', 9e9),
        new ModelTag('1b', 1e9),
      ];
      const choices = groupSizes(tags);
      const everything = (): SizeFit => ({ kind: 'fits-gpu' });
      expect(choices[pickDefaultSize(choices, tags[2], everything)].size).toBe('1b');
    });
  });
});
