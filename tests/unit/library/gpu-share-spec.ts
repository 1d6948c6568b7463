import { gpuPercent, processorText } from '../../../src/library/gpu-share.js';

describe('GPU share of a loaded model', () => {
  it('says where the model runs as ollama ps does', () => {
    expect(processorText({ size: 1000, size_vram: 1000 })).toBe('100% GPU');
    expect(processorText({ size: 1000, size_vram: 0 })).toBe('100% CPU');
    expect(processorText({ size: 1000, size_vram: 520 })).toBe('48%/52% CPU/GPU');
    // Ollama rounds the CPU part: a sliver on the CPU is still not "100% GPU".
    expect(processorText({ size: 1000, size_vram: 999 })).toBe('0%/100% CPU/GPU');
  });

  it('does not make up a share from impossible sizes', () => {
    expect(processorText({ size: 0, size_vram: 5 })).toBe('unknown');
    expect(processorText({ size: 10, size_vram: 50 })).toBe('unknown');
    expect(gpuPercent({ size: 0, size_vram: 0 })).toBeNull();
    expect(gpuPercent({ size: 10, size_vram: 50 })).toBeNull();
  });

  it('gives the GPU part as a whole percentage for the badge', () => {
    expect(gpuPercent({ size: 1000, size_vram: 1000 })).toBe(100);
    expect(gpuPercent({ size: 1000, size_vram: 0 })).toBe(0);
    expect(gpuPercent({ size: 3, size_vram: 1 })).toBe(33);
  });
});
