import { Simulator, type SimLineStream } from '../helpers/simulator.js';

type Line = Record<string, unknown>;

const CONFIG = 'application/vnd.docker.container.image.v1+json';
const PULL = { json: { model: 'tiny:1b' } };

async function readAll(stream: SimLineStream): Promise<string[]> {
  const lines: string[] = [];
  for (let line = await stream.readLine(); line !== null; line = await stream.readLine())
    lines.push(line);
  return lines;
}

describe('Simulator faults', () => {
  let sim: Simulator;
  let weights: string;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.configure({ tickMs: 1, bytesPerTick: 100_000 });
    await sim.addModels([
      { name: 'tiny:1b', layers: [{ size: 1_000_000 }, { size: 300, mediaType: CONFIG }] },
      { name: 'other:1b', layers: [{ size: 1_000 }] },
    ]);
    const { models } = await sim.control<{
      models: { name: string; layers: { digest: string }[] }[];
    }>('GET', 'registry');
    weights = models.find((model) => model.name === 'tiny:1b')?.layers[0].digest ?? '';
  });

  async function pullLines(): Promise<Line[]> {
    const response = await sim.request('POST', '/api/pull', PULL);
    expect(response.status).toBe(200);
    return response.lines() as Line[];
  }

  it('http-500: HTTP 500 {"error":…} before any stream, then the fault is used up', async () => {
    await sim.setFaults([
      { on: 'pull', kind: 'http-500', message: 'llama runner process has terminated' },
    ]);
    const failed = await sim.request('POST', '/api/pull', PULL);
    expect(failed.status).toBe(500);
    expect(failed.contentType).toBe('application/json; charset=utf-8');
    expect(failed.json()).toEqual({ error: 'llama runner process has terminated' });
    expect((await pullLines()).at(-1)).toEqual({ status: 'success' });
    expect(await sim.control('GET', 'faults')).toEqual({ faults: [] });
  });

  it('http-status: any status and body, as a proxy in front might send', async () => {
    await sim.setFaults([
      { on: 'tags', kind: 'http-status', status: 502, body: '<html>Bad Gateway</html>' },
    ]);
    const response = await sim.request('GET', '/api/tags');
    expect(response.status).toBe(502);
    expect(response.text).toBe('<html>Bad Gateway</html>');
    expect(response.contentType).toBe('text/plain; charset=utf-8');
  });

  it('redirect: the status (307 unless given) with a Location, which a client may follow', async () => {
    await sim.setFaults([
      { on: 'tags', kind: 'redirect', status: 301, location: '/api/version' },
      { on: 'version', kind: 'redirect', location: '/api/version' },
    ]);
    // Soup follows both, as Paddock's client does within one server.
    const response = await sim.request('GET', '/api/tags');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ version: '0.12.3' });
    expect((await sim.requests()).map((request) => request.path)).toEqual([
      '/api/tags',
      '/api/version',
      '/api/version',
    ]);
  });

  it('mid-stream-error: an {"error":…} line once afterBytes are downloaded; HTTP stays 200 and the partial stays', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'mid-stream-error', afterBytes: 300_000 }]);
    const lines = await pullLines();
    expect(lines.at(-1)).toEqual({ error: 'max retries exceeded: unexpected EOF' });
    expect(Number(lines.at(-2)?.completed)).toBeGreaterThanOrEqual(300_000);
    expect(lines.some((line) => line.status === 'success')).toBeFalse();
    const state = await sim.state(0);
    expect(state.partials[weights]).toBeGreaterThanOrEqual(300_000);
    expect(state.installed).toEqual([]);
  });

  it('mid-stream-error: takes a custom message, and fires after "pulling manifest" without afterBytes', async () => {
    await sim.setFaults([
      { on: 'pull', kind: 'mid-stream-error', message: 'unauthorized: access denied' },
    ]);
    expect(await pullLines()).toEqual([
      { status: 'pulling manifest' },
      { error: 'unauthorized: access denied' },
    ]);
  });

  it('disk-full: the write error of the blob being downloaded', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'disk-full', afterBytes: 200_000 }]);
    const last = (await pullLines()).at(-1);
    expect(last).toEqual({
      error: `write /usr/share/ollama/.ollama/models/blobs/sha256-${weights.slice(7)}-partial: no space left on device`,
    });
  });

  it('digest-mismatch: fails at verification and throws the blob away, so the next pull starts over', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'digest-mismatch' }]);
    const lines = await pullLines();
    expect(lines.at(-2)).toEqual({ status: 'verifying sha256 digest' });
    expect(String(lines.at(-1)?.error)).toMatch(
      new RegExp(
        `^digest mismatch, file must be downloaded again: want ${weights}, got sha256:[0-9a-f]{64}$`,
      ),
    );
    expect((await sim.state()).installed).toEqual([]);
    const again = await pullLines();
    expect(again.find((line) => line.digest === weights)?.completed).toBeUndefined();
    expect(again.at(-1)).toEqual({ status: 'success' });
  });

  it('digest-mismatch with afterBytes: fails mid-download and discards that partial', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'digest-mismatch', afterBytes: 300_000 }]);
    const lines = await pullLines();
    expect(String(lines.at(-1)?.error)).toContain(`want ${weights}`);
    expect(lines.some((line) => line.status === 'verifying sha256 digest')).toBeFalse();
    expect((await sim.state(0)).partials[weights]).toBeUndefined();
  });

  it('reset: the connection drops after afterBytes, mid-body', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'reset', afterBytes: 200_000 }]);
    const stream = await sim.openStream('POST', '/api/pull', PULL);
    const lines: string[] = [];
    let failure: unknown = null;
    try {
      for (let line = await stream.readLine(); line !== null; line = await stream.readLine())
        lines.push(line);
    } catch (error) {
      failure = error;
    }
    await stream.close();
    expect(failure).not.toBeNull();
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('\n')).not.toContain('success');
    expect((await sim.state(0)).partials[weights]).toBeGreaterThanOrEqual(200_000);
  });

  it('truncate: the response ends cleanly after afterBytes, without success or error', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'truncate', afterBytes: 200_000 }]);
    const lines = await pullLines();
    expect(Number(lines.at(-1)?.completed)).toBeGreaterThanOrEqual(200_000);
    expect(lines.some((line) => line.status === 'success' || 'error' in line)).toBeFalse();
  });

  it('stall: sends nothing more, for `ms`, then ends the response', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 100_000, ms: 30 }]);
    const lines = await pullLines();
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.status === 'success' || 'error' in line)).toBeFalse();
  });

  it('stall: without `ms` it holds the connection until the client gives up', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
    const stream = await sim.openStream('POST', '/api/pull', PULL);
    expect(await stream.readLine()).toBe('{"status":"pulling manifest"}');
    const pending = stream.readLine().then(
      () => 'read',
      () => 'cancelled',
    );
    expect((await sim.state(1)).activePulls).toBe(1);
    await stream.close();
    expect(await pending).toBe('cancelled');
    expect((await sim.state(0)).activePulls).toBe(0);
  });

  it('garbage-line: a non-JSON line in the stream, which then carries on', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'garbage-line', afterBytes: 100_000 }]);
    const text = (await sim.request('POST', '/api/pull', PULL)).text.split('\n');
    expect(text).toContain('<html>oops');
    expect(text.at(-2)).toBe('{"status":"success"}');
  });

  it('huge-line: one 2 MiB line by default, valid JSON, then the stream carries on', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'huge-line' }]);
    const stream = await sim.openStream('POST', '/api/pull', PULL);
    const lines = await readAll(stream);
    await stream.close();
    const huge = lines.find((line) => line.length > 1000) ?? '';
    expect(huge.length).toBe(2 * 1024 * 1024);
    expect(JSON.parse(huge).status).toMatch(/^x+$/);
    expect(lines.at(-1)).toBe('{"status":"success"}');
  });

  it('huge-line: takes its length from `bytes`', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'huge-line', bytes: 5000 }]);
    const text = (await sim.request('POST', '/api/pull', PULL)).text.split('\n');
    expect(text.filter((line) => line.length === 5000).length).toBe(1);
  });

  it('endless-layers: a new digest on every line, never success, until the client closes', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'endless-layers' }]);
    const stream = await sim.openStream('POST', '/api/pull', PULL);
    const lines: Line[] = [];
    while (lines.length < 2000) lines.push(JSON.parse((await stream.readLine())!) as Line);
    expect(lines[0]).toEqual({ status: 'pulling manifest' });
    const blobs = lines.slice(1);
    expect(new Set(blobs.map((line) => line.digest)).size).toBe(blobs.length);
    expect(blobs[0]).toEqual({
      status: `pulling ${(blobs[0].digest as string).slice(7, 19)}`,
      digest: jasmine.stringMatching(/^sha256:[0-9a-f]{64}$/),
      total: 1000,
      completed: 1000,
    });
    await stream.close();
    expect((await sim.state(0)).activePulls).toBe(0);
  });

  it('delay: answers after `ms`, later than a request sent after it', async () => {
    await sim.setFaults([{ on: 'tags', kind: 'delay', ms: 300 }]);
    const order: string[] = [];
    const delayed = sim.request('GET', '/api/tags').then((response) => {
      order.push('tags');
      return response;
    });
    const version = await sim.request('GET', '/api/version');
    order.push('version');
    const tags = await delayed;
    expect(order).toEqual(['version', 'tags']);
    expect(version.status).toBe(200);
    expect(tags.json()).toEqual({ models: [] });
  });

  it('not-ollama: 200 text/html like some other web server', async () => {
    await sim.setFaults([{ on: 'version', kind: 'not-ollama' }]);
    const response = await sim.request('GET', '/api/version');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<html>');
  });

  it('matches by endpoint and model, and "any" matches every endpoint', async () => {
    await sim.setFaults([
      { on: 'pull', model: 'other:1b', kind: 'http-500' },
      { on: 'any', kind: 'http-status', status: 503, body: 'busy' },
    ]);
    expect((await sim.request('POST', '/api/pull', PULL)).status).toBe(503);
    expect((await sim.request('POST', '/api/pull', PULL)).status).toBe(200);
    expect((await sim.request('POST', '/api/pull', { json: { name: 'OTHER:1b' } })).status).toBe(
      500,
    );
    expect((await sim.request('GET', '/api/version')).status).toBe(200);
  });

  it('applies to stream:false pulls: error kinds become HTTP 500', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'mid-stream-error', afterBytes: 100_000 }]);
    const response = await sim.request('POST', '/api/pull', {
      json: { model: 'tiny:1b', stream: false },
    });
    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ error: 'max retries exceeded: unexpected EOF' });
  });

  it('applies to chat streams, counting afterBytes in bytes of body', async () => {
    await sim.setFaults([{ on: 'chat', kind: 'mid-stream-error', afterBytes: 200 }]);
    await sim.setInstalled([{ name: 'other:1b' }]);
    const response = await sim.request('POST', '/api/chat', {
      json: { model: 'other:1b', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(response.status).toBe(200);
    const lines = response.lines() as Line[];
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)).toEqual({ error: 'max retries exceeded: unexpected EOF' });
  });

  it('applies to one-body replies: truncate cuts the JSON after afterBytes', async () => {
    await sim.setFaults([{ on: 'version', kind: 'truncate', afterBytes: 5 }]);
    const response = await sim.request('GET', '/api/version');
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"ver');
  });

  it('rejects malformed faults with HTTP 400', async () => {
    for (const fault of [
      { on: 'pull', kind: 'explode' },
      { on: 'nowhere', kind: 'reset' },
      { on: 'pull', kind: 'http-status' },
      { on: 'tags', kind: 'redirect' },
      { on: 'tags', kind: 'redirect', status: 200, location: '/' },
    ]) {
      const response = await sim.request('POST', '/__sim/faults', { json: { faults: [fault] } });
      expect(response.status).toBe(400);
    }
  });
});
