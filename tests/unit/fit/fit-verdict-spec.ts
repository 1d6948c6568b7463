import { judgeFit, largestFittingSize, memoryFigureText } from '../../../src/fit/fit-verdict.js';
import type { MemoryNeed } from '../../../src/fit/memory-need.js';
import {
  combineMemory,
  sourceText,
  UNKNOWN_MEMORY,
  type ServerMemory,
} from '../../../src/fit/server-memory.js';

const GB = 1e9;

function need(total: number): MemoryNeed {
  return {
    total,
    weights: total * 0.8,
    kvCache: total * 0.15,
    graph: total * 0.05,
    contextLength: 4096,
    rough: false,
  };
}

function plain(text: string | null): string | null {
  return text?.replace(/\u00a0/g, ' ') ?? null;
}

const entered = { kind: 'entered' } as const;
const measured = { kind: 'measured' } as const;
const box: ServerMemory = {
  gpu: { bytes: 24 * GB, source: entered },
  ram: { bytes: 14 * GB, source: measured },
};

describe('judgeFit', () => {
  it('fits in GPU memory when the need is at most the GPU memory', () => {
    const fit = judgeFit(need(24 * GB), box);
    expect(fit.verdict).toBe('fits-gpu');
    expect(fit.text).toBe('Fits in GPU memory');
    expect(fit.has).toBe(box.gpu);
  });

  it('runs partly on the CPU when GPU and system memory together hold it', () => {
    const fit = judgeFit(need(30 * GB), box);
    expect(fit.verdict).toBe('partly-cpu');
    expect(fit.text).toBe('Runs partly on the CPU (slower)');
  });

  it('is too large beyond GPU and system memory together, with both numbers', () => {
    const small = {
      gpu: { bytes: 8 * GB, source: entered },
      ram: { bytes: 16 * GB, source: measured },
    };
    const fit = judgeFit(need(38 * GB), small);
    expect(fit.verdict).toBe('too-large');
    expect(plain(fit.text)).toBe('Too large for this server (needs ~38.0 GB, has 24.0 GB)');
    expect(plain(judgeFit(need(39 * GB), box).text)).toContain('has 38.0 GB');
  });

  it('beyond the GPU memory with system memory unknown, says partly on the CPU', () => {
    expect(judgeFit(need(38 * GB), { ...box, ram: null }).verdict).toBe('partly-cpu');
  });

  it('without GPU memory says only "too large", from system memory', () => {
    const ramOnly = { gpu: null, ram: { bytes: 16 * GB, source: measured } };
    expect(judgeFit(need(8 * GB), ramOnly).verdict).toBe('unknown');
    expect(judgeFit(need(8 * GB), ramOnly).text).toBeNull();
    expect(judgeFit(need(20 * GB), ramOnly).verdict).toBe('too-large');
  });

  it('is unknown with no figures', () => {
    expect(judgeFit(need(1 * GB), UNKNOWN_MEMORY)).toEqual({
      verdict: 'unknown',
      needs: 1 * GB,
      has: null,
      text: null,
    });
  });
});

describe('largestFittingSize', () => {
  const sizes = [
    { tag: '0.6b', need: need(1.5 * GB) },
    { tag: '8b', need: need(7 * GB) },
    { tag: '14b', need: need(11 * GB) },
    { tag: '32b', need: need(25 * GB) },
    { tag: 'odd', need: null },
  ];
  const needOf = (size: (typeof sizes)[number]) => size.need;

  it('picks the largest size that fits entirely in GPU memory', () => {
    const memory = { ram: null, gpu: { bytes: 12 * GB, source: measured } };
    expect(largestFittingSize(sizes, needOf, memory)?.tag).toBe('14b');
  });

  it('is null when the GPU memory is unknown or nothing fits (the usual rule then)', () => {
    expect(
      largestFittingSize(sizes, needOf, { ram: { bytes: 64 * GB, source: measured }, gpu: null }),
    ).toBeNull();
    expect(
      largestFittingSize(sizes, needOf, { ram: null, gpu: { bytes: 1 * GB, source: measured } }),
    ).toBeNull();
  });
});

describe('memory sources', () => {
  it('says where each figure comes from', () => {
    expect(sourceText(measured)).toBe('measured on this computer');
    expect(sourceText(entered)).toBe('entered by you');
    expect(sourceText({ kind: 'observed', model: 'qwen3:8b' })).toBe(
      'seen when qwen3:8b was loaded',
    );
    expect(plain(memoryFigureText({ bytes: 24 * GB, source: entered }))).toBe(
      '24.0 GB (entered by you)',
    );
  });

  it('prefers what the user entered, then what was measured, then what was seen', () => {
    const seen = {
      ram: null,
      gpu: { bytes: 5 * GB, source: { kind: 'observed', model: 'x' } as const },
    };
    const probe = {
      ram: { bytes: 32 * GB, source: measured },
      gpu: { bytes: 8 * GB, source: measured },
    };
    const typed = { ram: null, gpu: { bytes: 12 * GB, source: entered } };
    expect(combineMemory(seen, probe, typed)).toEqual({ ram: probe.ram, gpu: typed.gpu });
    expect(combineMemory(seen, UNKNOWN_MEMORY)).toEqual(seen);
  });
});
