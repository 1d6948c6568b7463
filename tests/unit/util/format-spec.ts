import { formatBytes } from '../../../src/util/text.js';

describe('formatBytes', () => {
  it('uses decimal units like the rest of GNOME', () => {
    expect(formatBytes(2019393189)).toBe('2.0\u00a0GB');
    expect(formatBytes(1500)).toBe('1.5\u00a0kB');
    expect(formatBytes(-5)).toBe(formatBytes(0));
  });
});
