import { MAX_LAYERS } from '../../../src/pulls/saved-pull.js';
import { ModelProgress } from '../../../src/pulls/model-progress.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;

function layer(digest: string, total: number, completed?: number) {
  const line = { status: `pulling ${digest.slice(7, 19)}`, digest, total };
  return completed === undefined ? line : { ...line, completed };
}

describe('Pulls ModelProgress', () => {
  let progress: ModelProgress;

  beforeEach(() => {
    progress = new ModelProgress();
    progress.beginAttempt(0);
  });

  it('knows nothing before the first blob', () => {
    expect(progress.phase).toBe('starting');
    progress.observe({ status: 'pulling manifest' }, 0);
    expect(progress.phase).toBe('manifest');
    expect(progress.completed).toBe(0);
    expect(progress.total).toBe(0);
    expect(progress.fraction).toBeNull();
    expect(progress.remaining).toBeNull();
  });

  it('adds the blobs up, taking a new digest or the digest check as the end of the blob before', () => {
    progress.observe(layer(A, 1000), 0);
    progress.observe(layer(A, 1000, 600), 0);
    expect([progress.completed, progress.total]).toEqual([600, 1000]);
    // Ollama promises no last line per blob: the next digest means A is done.
    progress.observe(layer(B, 100), 0);
    expect([progress.completed, progress.total]).toEqual([1000, 1100]);
    progress.observe(layer(B, 100, 40), 0);
    progress.observe({ status: 'verifying sha256 digest' }, 0);
    expect(progress.phase).toBe('finishing');
    expect([progress.completed, progress.total]).toEqual([1100, 1100]);
    expect(progress.fraction).toBe(1);
    expect(progress.layers()).toEqual([
      { digest: A, total: 1000, completed: 1000 },
      { digest: B, total: 100, completed: 100 },
    ]);
  });

  it('never moves the fraction back when a new blob adds to the total', () => {
    progress.observe(layer(A, 1000, 900), 0);
    expect(progress.fraction).toBe(0.9);
    // 1000 of 2000 would be 50 %: the bar holds, while the bytes count on.
    progress.observe(layer(B, 1000), 0);
    expect(progress.fraction).toBe(0.9);
    progress.observe(layer(B, 1000, 500), 0);
    expect(progress.fraction).toBe(0.9);
    expect([progress.completed, progress.total]).toEqual([1500, 2000]);
    progress.observe(layer(B, 1000, 900), 0);
    expect(progress.fraction).toBe(0.95);
  });

  it('uses the size it was told until the blobs tell the exact one', () => {
    progress = new ModelProgress({ layers: [], completed: 0, total: 0, sizeHint: 2500 });
    expect(progress.total).toBe(2500);
    expect(progress.fraction).toBe(0);
    progress.observe(layer(A, 2000, 1000), 0);
    expect(progress.total).toBe(2500);
    expect(progress.fraction).toBe(0.4);
    progress.observe(layer(B, 300, 300), 0);
    expect(progress.fraction).toBe(0.92);
    progress.observe({ status: 'verifying sha256 digest' }, 0);
    expect(progress.total).toBe(2300);
    expect(progress.fraction).toBe(1);
  });

  it('never shows less than it had, when the server starts a blob again', () => {
    progress.observe(layer(A, 1000, 800), 0);
    progress.beginAttempt(1000);
    const first = progress.observe(layer(A, 1000, 0), 1000);
    expect(first).toEqual({
      advanced: false,
      arrived: 0,
      phaseChanged: true,
      tooManyLayers: false,
    });
    const next = progress.observe(layer(A, 1000, 300), 1500);
    // The bytes arrive (that is no stall), but the bar holds until they pass what it showed.
    expect(next).toEqual({
      advanced: false,
      arrived: 300,
      phaseChanged: false,
      tooManyLayers: false,
    });
    expect(progress.completed).toBe(800);
    expect(progress.observe(layer(A, 1000, 900), 2000).advanced).toBeTrue();
    expect(progress.completed).toBe(900);
  });

  it('keeps what the server sends within what loading.json may hold', () => {
    progress.observe({ status: 'pulling x', digest: A, total: 1e17, completed: 1.5 }, 0);
    expect(progress.layers()).toEqual([
      { digest: A, total: Number.MAX_SAFE_INTEGER, completed: 1 },
    ]);
    progress.observe({ status: 'pulling x', digest: B, total: 1e17, completed: 1e17 }, 10);
    expect(progress.completed).toBe(Number.MAX_SAFE_INTEGER);
    expect(progress.total).toBe(Number.MAX_SAFE_INTEGER);
    const long = `sha256:${'f'.repeat(10_000)}`;
    progress.observe(layer(long, 10, 5), 20);
    const kept = progress.layers()[2].digest;
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(long.startsWith(kept.slice(0, -1))).toBeTrue();
    // Its later lines find the same blob.
    progress.observe(layer(long, 10, 8), 30);
    expect(progress.layers().length).toBe(3);
    expect(progress.layers()[2].completed).toBe(8);
  });

  it('takes no more than MAX_LAYERS blobs, and says when a line names one more', () => {
    for (let i = 0; i < MAX_LAYERS; i++)
      expect(progress.observe(layer(`sha256:${i}`, 10, 10), i).tooManyLayers).toBeFalse();
    const before = progress.completed;
    const extra = progress.observe(layer(`sha256:${MAX_LAYERS}`, 1e9, 1e9), MAX_LAYERS);
    expect(extra).toEqual({
      advanced: false,
      arrived: 0,
      phaseChanged: false,
      tooManyLayers: true,
    });
    expect(progress.layers().length).toBe(MAX_LAYERS);
    expect(progress.completed).toBe(before);
    // A blob it knows still counts.
    expect(progress.observe(layer('sha256:0', 10, 10), MAX_LAYERS + 1).tooManyLayers).toBeFalse();
  });

  it('starts from what was saved', () => {
    progress = new ModelProgress({
      layers: [
        { digest: A, total: 1000, completed: 1000 },
        { digest: B, total: 3000, completed: 500 },
      ],
      completed: 1500,
      total: 4000,
      sizeHint: null,
    });
    expect([progress.completed, progress.total, progress.fraction]).toEqual([1500, 4000, 0.375]);
    progress.beginAttempt(0);
    progress.observe(layer(A, 1000, 1000), 0);
    progress.observe(layer(B, 3000, 200), 0);
    expect(progress.completed).toBe(1500);
  });

  it('caps a blob at its total', () => {
    progress.observe(layer(A, 1000, 5000), 0);
    expect(progress.completed).toBe(1000);
  });

  it('counts the first line of each blob in an attempt as where it starts, not as speed', () => {
    progress.observe(layer(A, 10_000_000, 9_000_000), 0);
    progress.observe(layer(A, 10_000_000, 9_000_000), 1000);
    expect(progress.speedAt(1000)).toBeNull();
    progress.observe(layer(A, 10_000_000, 9_100_000), 2000);
    expect(progress.speedAt(2000)).toBe(50_000);
  });

  it('smooths the speed over time, and tells the time left', () => {
    let bytes = 0;
    progress.observe(layer(A, 100_000_000, 0), 0);
    for (let t = 100; t <= 5000; t += 100) {
      bytes += 100_000; // 1 MB/s
      progress.observe(layer(A, 100_000_000, bytes), t);
    }
    expect(progress.speedAt(5000)).toBeCloseTo(1_000_000, -3);
    for (let t = 5100; t <= 6000; t += 100) {
      bytes += 300_000; // 3 MB/s for one second
      progress.observe(layer(A, 100_000_000, bytes), t);
    }
    const speed = progress.speedAt(6000)!;
    // It moves towards the new speed without jumping to it.
    expect(speed).toBeGreaterThan(1_200_000);
    expect(speed).toBeLessThan(2_000_000);
    expect(progress.secondsLeftAt(6000)).toBeCloseTo((100_000_000 - bytes) / speed, 6);
  });

  it('says for how long no bytes came instead of a frozen speed, and measures afresh after', () => {
    progress.observe(layer(A, 100_000_000, 0), 0);
    progress.observe(layer(A, 100_000_000, 2_000_000), 1000);
    expect(progress.speedAt(1000)).toBe(2_000_000);
    expect(progress.stalledForAt(10_999)).toBeNull();
    expect(progress.speedAt(10_999)).toBe(2_000_000);
    // Lines that bring no bytes do not count.
    progress.observe(layer(A, 100_000_000, 2_000_000), 5000);
    expect(progress.stalledForAt(11_000)).toBe(10);
    expect(progress.speedAt(11_000)).toBeNull();
    expect(progress.secondsLeftAt(11_000)).toBeNull();
    expect(progress.stalledForAt(41_500)).toBe(40);
    progress.observe(layer(A, 100_000_000, 2_100_000), 42_000);
    expect(progress.stalledForAt(42_000)).toBeNull();
    expect(progress.speedAt(42_000)).toBeNull();
    progress.observe(layer(A, 100_000_000, 2_600_000), 43_000);
    expect(progress.speedAt(43_000)).toBe(500_000);
  });

  it('does not call the silent digest check a stall', () => {
    progress.observe(layer(A, 1000, 1000), 0);
    progress.observe({ status: 'verifying sha256 digest' }, 0);
    expect(progress.stalledForAt(120_000)).toBeNull();
  });

  it('counts the stall from the start of an attempt', () => {
    progress.beginAttempt(50_000);
    expect(progress.stalledForAt(59_999)).toBeNull();
    expect(progress.stalledForAt(60_000)).toBe(10);
  });

  it('is complete when the pull succeeded, whatever lines were missing', () => {
    progress.observe(layer(A, 1000, 400), 0);
    progress.observe(layer(C, 50), 0);
    progress.finish();
    expect([progress.completed, progress.total, progress.fraction]).toEqual([1050, 1050, 1]);
  });
});

describe('Pulls ModelProgress restart losses', () => {
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const MB = 1_000_000;

  function resumed(): ModelProgress {
    const progress = new ModelProgress({
      layers: [
        { digest: A, total: 100 * MB, completed: 100 * MB },
        { digest: B, total: 900 * MB, completed: 400 * MB },
      ],
      completed: 500 * MB,
      total: 1000 * MB,
      sizeHint: null,
    });
    progress.beginAttempt(0);
    return progress;
  }

  const line = (digest: string, total: number, completed?: number) => ({
    status: `pulling ${digest.slice(7, 19)}`,
    digest,
    total,
    ...(completed === undefined ? {} : { completed }),
  });

  it('notices a blob that starts again from 0 although bytes were recorded for it', () => {
    const progress = resumed();
    expect(progress.observe(line(A, 100 * MB, 100 * MB), 1).discarded ?? 0).toBe(0);
    expect(progress.observe(line(B, 900 * MB), 2).discarded ?? 0).toBe(400 * MB);
    // Said once: the next lines of that blob are progress again.
    expect(progress.observe(line(B, 900 * MB, 5 * MB), 3).discarded ?? 0).toBe(0);
    // What is shown never goes back.
    expect(progress.completed).toBe(500 * MB);
  });

  it('says nothing when the blob resumes where it was, or little was recorded', () => {
    expect(resumed().observe(line(B, 900 * MB, 398 * MB), 1).discarded ?? 0).toBe(0);
    const small = new ModelProgress({
      layers: [{ digest: B, total: 900 * MB, completed: 500_000 }],
      completed: 500_000,
      total: 900 * MB,
      sizeHint: null,
    });
    small.beginAttempt(0);
    expect(small.observe(line(B, 900 * MB), 1).discarded ?? 0).toBe(0);
  });

  it('notices it on a retry within the same run too', () => {
    const progress = new ModelProgress();
    progress.beginAttempt(0);
    progress.observe(line(B, 900 * MB), 1);
    progress.observe(line(B, 900 * MB, 300 * MB), 2);
    progress.beginAttempt(3);
    expect(progress.observe(line(B, 900 * MB, 1 * MB), 4).discarded ?? 0).toBe(299 * MB);
  });
});
