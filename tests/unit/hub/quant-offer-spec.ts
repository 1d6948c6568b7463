import { quantListNote, quantOffers } from '../../../src/hub/quant-offer.js';
import { listQuants } from '../../../src/hub/quants.js';

const GB = 1e9;

describe('Hub quant offers', () => {
  // GLib writes a no-break space between number and unit.
  it('labels each quant with its size, a split one with all its parts, and says why it cannot be pulled', () => {
    const list = listQuants([
      { path: 'm-Q4_K_M.gguf', size: 4.9 * GB },
      { path: 'Q8_0/m-Q8_0-00001-of-00002.gguf', size: 40 * GB },
      { path: 'Q8_0/m-Q8_0-00002-of-00002.gguf', size: 35 * GB },
      { path: 'Q6_K/m-Q6_K-00001-of-00002.gguf', size: 40 * GB },
    ]);
    const offers = quantOffers(list);
    expect(offers.map((offer) => [offer.label, offer.problem])).toEqual([
      ['Q4_K_M — 4.9\u00a0GB', null],
      ['Q6_K — 40.0\u00a0GB', 'Only 1 of its 2 parts is on Hugging Face.'],
      [
        'Q8_0 — 75.0\u00a0GB',
        'Split into 2 files, which Ollama cannot download from Hugging Face.',
      ],
    ]);
    expect(quantListNote(list)).toBeNull();
  });

  it('says when nothing can be pulled', () => {
    expect(quantListNote(listQuants([{ path: 'README.md', size: 10 }]))).toBe(
      'This repository has no GGUF model files.',
    );
    expect(
      quantListNote(
        listQuants([
          { path: 'm-Q8_0-00001-of-00002.gguf', size: GB },
          { path: 'm-Q8_0-00002-of-00002.gguf', size: GB },
        ]),
      ),
    ).toBe('Ollama cannot download any of these files from Hugging Face: they are all split.');
  });
});
