import { ModelTag } from '../../../src/catalog/model-tag.js';

describe('Catalog ModelTag', () => {
  it('reads sizes in decimal units, as ollama.com writes them', () => {
    const table: [string, number | null][] = [
      ['274MB', 274_000_000],
      ['4.9GB', 4_900_000_000],
      ['1.2TB', 1_200_000_000_000],
      ['1.3TB', 1_300_000_000_000],
      ['512KB', 512_000],
      ['1.7kB', 1_700],
      ['270B', 270],
      ['43GB', 43_000_000_000],
      ['4.9 GB', 4_900_000_000],
      [' 2.0gb ', 2_000_000_000],
      ['0MB', 0],
    ];
    for (const [text, bytes] of table)
      expect(ModelTag.parseSize(text)).withContext(text).toBe(bytes);
  });

  it('reads no size from "-", an empty text or garbage', () => {
    const garbage = [
      '-',
      '',
      '   ',
      'GB',
      '4.9',
      '4.9XB',
      '-5GB',
      '4,9GB',
      '1e3GB',
      '4.9GBs',
      'NaNGB',
      '1234567GB',
      '1.2345GB',
      '4.9 G B',
    ];
    for (const text of garbage) expect(ModelTag.parseSize(text)).withContext(text).toBeNull();
  });

  it('reads no size beyond what a byte count can hold exactly (2^53 - 1)', () => {
    expect(ModelTag.parseSize('9000TB')).toBe(9_000_000_000_000_000);
    expect(ModelTag.parseSize('9008TB')).toBeNull();
    expect(ModelTag.parseSize('999999.999TB')).toBeNull();
  });

  it('is a cloud tag when its name says cloud or it has nothing to download', () => {
    expect(new ModelTag('cloud', null).isCloud).toBeTrue();
    expect(new ModelTag('480b-cloud', null).isCloud).toBeTrue();
    expect(new ModelTag('Cloud-Preview', 5).isCloud).toBeTrue();
    expect(new ModelTag('latest', null, { cloudOnly: true }).isCloud).toBeTrue();
    expect(new ModelTag('latest', null).isCloud).toBeFalse();
    expect(new ModelTag('3b', 2e9).isCloud).toBeFalse();
  });

  it('keeps its details and names what to pull', () => {
    const tag = new ModelTag('3b', 2e9, { context: '128K', input: 'Text, Image' });
    expect(tag.name).toBe('3b');
    expect(tag.sizeBytes).toBe(2e9);
    expect(tag.context).toBe('128K');
    expect(tag.input).toBe('Text, Image');
    expect(tag.pullName('llama3.2')).toBe('llama3.2:3b');
    expect(tag.pullName('user/model')).toBe('user/model:3b');
    const bare = new ModelTag('latest', null);
    expect(bare.context).toBeNull();
    expect(bare.input).toBeNull();
  });
});
