import Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import { AvailableModel } from '../../../src/catalog/available-model.js';
import { ModelTag } from '../../../src/catalog/model-tag.js';

const GB = 1e9;

function tag(name: string, gigabytes: number | null, cloudOnly = false): ModelTag {
  return new ModelTag(name, gigabytes === null ? null : gigabytes * GB, { cloudOnly });
}

function model(tags: ModelTag[], name = 'family'): AvailableModel {
  return new AvailableModel({ name, tags });
}

function names(tags: readonly ModelTag[]): string[] {
  return tags.map((item) => item.name);
}

describe('Catalog AvailableModel', () => {
  describe('default tag', () => {
    it('is the largest download up to 100 GB', () => {
      const family = model([tag('8b', 4.9), tag('70b', 43), tag('405b', 243), tag('1b', 1.3)]);
      expect(family.defaultTag?.name).toBe('70b');
    });

    it('may be exactly 100 GB', () => {
      expect(
        model([tag('small', 1), tag('edge', 100), tag('over', 100.001)]).defaultTag?.name,
      ).toBe('edge');
    });

    it('prefers "latest" among equally large downloads', () => {
      expect(model([tag('3b', 2), tag('latest', 2), tag('1b', 1.3)]).defaultTag?.name).toBe(
        'latest',
      );
    });

    it('prefers plain size tags over their quantisation variants', () => {
      const family = model([
        tag('8b', 4.9),
        tag('8b-q8_0', 8.5),
        tag('70b', 43),
        tag('70b-fp16', 99),
      ]);
      expect(family.defaultTag?.name).toBe('70b');
    });

    it('takes a variant when the family has only variants', () => {
      expect(model([tag('7b-q4_0', 4), tag('7b-q8_0', 7)]).defaultTag?.name).toBe('7b-q8_0');
    });

    it('never picks a cloud-proxy stub of a few hundred bytes', () => {
      const family = model([tag('latest', 270e-9), tag('small', 1.5)]);
      expect(family.defaultTag?.name).toBe('small');
    });

    it('is never a cloud tag, however it is marked', () => {
      const family = model([tag('480b-cloud', 1), tag('latest', null, true), tag('30b', 19)]);
      expect(family.defaultTag?.name).toBe('30b');
    });

    it('is the smallest download when none is 100 GB or less', () => {
      const family = model([tag('671b-fp16', 1300), tag('671b', 404), tag('cloud', null, true)]);
      expect(family.defaultTag?.name).toBe('671b');
    });

    it('is null when every tag is a cloud tag', () => {
      const family = model([tag('cloud', null, true), tag('big-cloud', 5)]);
      expect(family.defaultTag).toBeNull();
      expect(family.isCloudOnly).toBeTrue();
    });

    it('is "latest", or else the first tag, when no size is known', () => {
      expect(model([tag('1b', null), tag('latest', null)]).defaultTag?.name).toBe('latest');
      expect(model([tag('7b', null), tag('13b', null)]).defaultTag?.name).toBe('7b');
      expect(model([]).defaultTag).toBeNull();
    });

    it('ignores tags of unknown size when others have one', () => {
      expect(model([tag('mystery', null), tag('3b', 2)]).defaultTag?.name).toBe('3b');
    });
  });

  it('sorts tags by size, unknown sizes after them, cloud tags last, ties in catalog order', () => {
    const family = model([
      tag('cloud', null, true),
      tag('latest', 4.9),
      tag('unknown', null),
      tag('70b', 43),
      tag('8b', 4.9),
      tag('1b', 1.3),
      tag('480b-cloud', 2),
    ]);
    expect(names(family.tags)).toEqual([
      '1b',
      'latest',
      '8b',
      '70b',
      'unknown',
      'cloud',
      '480b-cloud',
    ]);
  });

  it('gives the size range of its downloads, without cloud tags', () => {
    const family = model([tag('480b-cloud', 0.5), tag('1b', 1.3), tag('70b', 43), tag('x', null)]);
    expect(family.sizeRange).toEqual({ min: 1.3 * GB, max: 43 * GB });
    expect(model([tag('cloud', null, true)]).sizeRange).toBeNull();
    expect(model([tag('latest', null)]).sizeRange).toBeNull();
  });

  it('knows community models and keeps its name in lower case for look-ups', () => {
    const community = new AvailableModel({
      name: 'Drews54/Llama3.2-Vision',
      description: 'Vision, ABLITERATED.',
    });
    expect(community.isCommunity).toBeTrue();
    expect(community.searchText).toBe('drews54/llama3.2-vision');
    // No lower-case description any more: search goes through SearchIndex (search-rank.ts).
    expect(new AvailableModel({ name: 'llama3.2' }).isCommunity).toBeFalse();
  });

  it('has empty defaults for what the catalog leaves out', () => {
    const bare = new AvailableModel({ name: 'bare' });
    expect(bare.description).toBe('');
    expect(bare.features).toEqual([]);
    expect(bare.tags).toEqual([]);
    expect(bare.downloads).toBeNull();
    expect(bare.isCloudOnly).toBeFalse();
  });

  it('finds a tag ignoring case', () => {
    const family = model([tag('Q4_K_M', 5.8)]);
    expect(family.findTag('q4_k_m')?.name).toBe('Q4_K_M');
    expect(family.findTag('q8_0')).toBeNull();
  });

  it('is a GObject that a Gio.ListStore holds, with name and description properties', () => {
    const store = new Gio.ListStore({ item_type: AvailableModel.$gtype });
    store.append(new AvailableModel({ name: 'llama3.2', description: 'Small.' }));
    const item = store.get_item(0) as AvailableModel;
    expect(item.name).toBe('llama3.2');
    expect(AvailableModel.$gtype.name).toBe('PaddockAvailableModel');
    const value = new GObject.Value();
    value.init(GObject.TYPE_STRING);
    item.get_property('description', value);
    expect(value.get_string()).toBe('Small.');
  });
});
