import Gio from 'gi://Gio';

import { OllamaClient } from '../../../src/ollama/client.js';
import {
  CancelledError,
  HttpError,
  InvalidModelNameError,
  MalformedReplyError,
  NetworkError,
  NotOllamaError,
  RedirectError,
  StreamError,
  TimeoutError,
  TlsError,
} from '../../../src/ollama/errors.js';
import type { ChatChunk, PullProgress } from '../../../src/ollama/types.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Simulator } from '../helpers/simulator.js';

const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';
const TINY = {
  name: 'tiny:1b',
  layers: [{ size: 1_000_000 }, { size: 500, mediaType: CONFIG_BLOB }],
};
// Big enough to still be running when a test acts in the middle of it.
const SLOW = {
  name: 'slow:7b',
  layers: [{ size: 50_000_000 }, { size: 500, mediaType: CONFIG_BLOB }],
};

/** What a promise rejects with (fails the spec if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Ollama client', () => {
  let sim: Simulator;
  let clock: ManualClock;
  let client: OllamaClient;

  const newClient = (options: { apiKey?: string | null; timeoutSeconds?: number } = {}) =>
    new OllamaClient({ baseUrl: sim.url, clock, ...options });

  /** Waits until the simulator has received `count` Ollama requests. */
  async function requestsReceived(count: number) {
    for (;;) {
      const requests = await sim.requests();
      if (requests.length >= count) return requests;
    }
  }

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 400_000 });
    await sim.addModels([TINY, SLOW]);
    clock = new ManualClock();
    client = newClient();
  });

  afterEach(() => {
    client.close();
  });

  describe('calls', () => {
    it('reads the version', async () => {
      expect(await client.version()).toBe('0.12.3');
    });

    it('normalises the base URL and names the server by host and port', () => {
      const port = /:(\d+)$/.exec(sim.url)?.[1];
      const slashed = new OllamaClient({ baseUrl: `${sim.url}///` });
      expect(slashed.baseUrl).toBe(sim.url);
      expect(slashed.host).toBe(`127.0.0.1:${port}`);
      expect(new OllamaClient({ baseUrl: 'https://ollama.example.com/' }).host).toBe(
        'ollama.example.com',
      );
      expect(new OllamaClient({ baseUrl: 'http://[::1]:11434' }).host).toBe('[::1]:11434');
      expect(() => new OllamaClient({ baseUrl: 'ftp://example.com' })).toThrowError(TypeError);
      expect(() => new OllamaClient({ baseUrl: 'not a url' })).toThrowError(TypeError);
    });

    it('lists the installed models, newest first', async () => {
      await sim.setInstalled([
        { name: 'qwen3:8b', size: 5_000_000_000 },
        { name: 'gemma3:4b', size: 3_000_000_000, details: { families: null } },
      ]);
      const models = await client.tags();
      expect(models.map((model) => model.name)).toEqual(['qwen3:8b', 'gemma3:4b']);
      expect(models[0].size).toBe(5_000_000_000);
      expect(models[0].digest).toMatch(/^[0-9a-f]{64}$/);
      expect(models[1].details.families).toBeNull();
      expect(models[1].details.format).toBe('gguf');
    });

    it('shows a model, and reports an unknown one as HTTP 404 with the server text', async () => {
      await sim.setInstalled([{ name: 'tiny:1b', size: 1_000_500 }]);
      const shown = await client.show('tiny:1b');
      expect(shown.details.format).toBe('gguf');
      expect(Array.isArray(shown.capabilities)).toBeTrue();
      const error = await rejection(client.show('nope'));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(404);
      expect((error as HttpError).serverText).toBe("model 'nope:latest' not found");
      expect((error as HttpError).retryable).toBeFalse();
    });

    it('deletes a model, and reports a missing one as HTTP 404', async () => {
      await sim.setInstalled([
        { name: 'tiny:1b', size: 1 },
        { name: 'qwen3:8b', size: 2 },
      ]);
      await client.delete('tiny:1b');
      expect((await client.tags()).map((model) => model.name)).toEqual(['qwen3:8b']);
      const error = await rejection(client.delete('tiny:1b'));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).message).toContain("model 'tiny:1b' not found");
      const [, , request] = await sim.requests();
      expect(request).toEqual(
        jasmine.objectContaining({
          method: 'DELETE',
          path: '/api/delete',
          body: { model: 'tiny:1b' },
        }),
      );
    });

    it('chats, streaming the answer, and lists the model as running afterwards', async () => {
      await sim.setInstalled([{ name: 'tiny:1b', size: 1 }]);
      expect(await client.ps()).toEqual([]);
      const chunks: ChatChunk[] = [];
      const last = await client.chat(
        { model: 'tiny:1b', messages: [{ role: 'user', content: 'Hello?' }] },
        (chunk) => chunks.push(chunk),
      );
      expect(last.done).toBeTrue();
      expect(chunks[chunks.length - 1]).toEqual(last);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map((chunk) => chunk.message.content).join('').length).toBeGreaterThan(0);
      expect((await client.ps()).map((model) => model.name)).toEqual(['tiny:1b']);
      const chat = (await sim.requests()).find((request) => request.path === '/api/chat');
      expect(chat?.body).toEqual(jasmine.objectContaining({ model: 'tiny:1b', stream: true }));
    });

    it('pulls a model, passing on every line, and resolves on success', async () => {
      const lines: PullProgress[] = [];
      await client.pull('tiny:1b', (line) => lines.push(line));
      expect(lines[0]).toEqual({ status: 'pulling manifest' });
      expect(lines[lines.length - 1]).toEqual({ status: 'success' });
      expect(lines.map((line) => line.status)).toContain('verifying sha256 digest');
      const layer = lines.filter((line) => line.digest !== undefined);
      expect(layer.length).toBeGreaterThan(1);
      expect(layer[0].total).toBe(1_000_000);
      expect((await client.tags()).map((model) => model.name)).toContain('tiny:1b');
      const [request] = await sim.requests();
      expect(request).toEqual(
        jasmine.objectContaining({
          method: 'POST',
          path: '/api/pull',
          body: { model: 'tiny:1b', stream: true },
          authorization: null,
        }),
      );
    });

    it('runs more pulls at once than Soup allows connections by default', async () => {
      await sim.addModels([
        { name: 'a:1', layers: [{ size: 2_000_000 }] },
        { name: 'b:1', layers: [{ size: 2_000_000 }] },
      ]);
      await Promise.all(['tiny:1b', 'a:1', 'b:1'].map((name) => client.pull(name, () => {})));
      expect((await client.tags()).length).toBe(3);
    });

    it('refuses an invalid model name before sending anything', async () => {
      const error = await rejection(client.pull('bad name', () => {}));
      expect(error).toBeInstanceOf(InvalidModelNameError);
      expect(await sim.requests()).toEqual([]);
    });

    it('reports an unknown model as a permanent StreamError', async () => {
      const lines: PullProgress[] = [];
      const error = await rejection(client.pull('nothing:here', (line) => lines.push(line)));
      expect(lines).toEqual([{ status: 'pulling manifest' }]);
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).reason).toBe('unknown-model');
      expect((error as StreamError).retryable).toBeFalse();
    });

    it('lets an exception from the progress callback through and stops the pull', async () => {
      const bug = new RangeError('callback bug');
      const error = await rejection(
        client.pull('slow:7b', (line) => {
          if (line.digest) throw bug;
        }),
      );
      expect(error).toBe(bug);
      expect((await sim.state(0)).activePulls).toBe(0);
    });
  });

  describe('with an API key', () => {
    beforeEach(async () => {
      await sim.configure({ token: 'sesame' });
    });

    it('sends it as a Bearer token', async () => {
      client = newClient({ apiKey: 'sesame' });
      expect(await client.version()).toBe('0.12.3');
      await client.pull('tiny:1b', () => {});
      const requests = await sim.requests();
      expect(requests.map((request) => request.authorization)).toEqual([
        'Bearer sesame',
        'Bearer sesame',
      ]);
    });

    it('explains a missing key on HTTP 401', async () => {
      const error = await rejection(client.tags());
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(401);
      expect((error as HttpError).serverText).toBe('unauthorized');
      expect((error as HttpError).retryable).toBeFalse();
      expect((error as HttpError).message).toContain('asks for an API key');
    });

    it('explains a wrong key on HTTP 401, for streams too', async () => {
      client = newClient({ apiKey: 'wrong' });
      const error = await rejection(client.pull('tiny:1b', () => {}));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(401);
      expect((error as HttpError).message).toContain('did not accept the API key');
      expect(await rejection(client.version())).toBeInstanceOf(HttpError);
    });
  });

  describe('redirects', () => {
    /** Another server, another origin: it must never see the key. */
    let other: Simulator;

    beforeAll(async () => {
      other = await Simulator.start();
    });

    afterAll(async () => {
      await other.stop();
    });

    beforeEach(async () => {
      await other.reset();
      client = newClient({ apiKey: 'sesame' });
    });

    it('follows one within the same server, key and all', async () => {
      await sim.setInstalled([{ name: 'tiny:1b', size: 1 }]);
      await sim.setFaults([
        { on: 'tags', kind: 'redirect', status: 301, location: '/api/tags' },
        { on: 'pull', kind: 'redirect', status: 308, location: `${sim.url}/api/pull` },
      ]);
      expect((await client.tags()).map((model) => model.name)).toEqual(['tiny:1b']);
      await client.pull('tiny:1b', () => {});
      const requests = await sim.requests();
      expect(requests.map((request) => [request.method, request.path])).toEqual([
        ['GET', '/api/tags'],
        ['GET', '/api/tags'],
        ['POST', '/api/pull'],
        ['POST', '/api/pull'],
      ]);
      expect(requests[3].body).toEqual({ model: 'tiny:1b', stream: true });
      expect(requests.every((request) => request.authorization === 'Bearer sesame')).toBeTrue();
    });

    it('refuses one to another server, which never sees the request', async () => {
      for (const status of [301, 302, 307, 308]) {
        await sim.setFaults([
          { on: 'tags', kind: 'redirect', status, location: `${other.url}/api/tags` },
        ]);
        const error = await rejection(client.tags());
        expect(error).toBeInstanceOf(RedirectError);
        expect((error as RedirectError).retryable).toBeFalse();
        expect((error as RedirectError).message).toBe(
          `Ollama at ${client.host} redirected to ${other.url}; use that address.`,
        );
        expect((error as RedirectError).location).toBe(other.url);
      }
      await sim.setFaults([
        { on: 'pull', kind: 'redirect', location: `${other.url}/api/pull` },
        { on: 'delete', kind: 'redirect', status: 302, location: `${other.url}/api/delete` },
      ]);
      expect(await rejection(client.pull('tiny:1b', () => {}))).toBeInstanceOf(RedirectError);
      expect(await rejection(client.delete('tiny:1b'))).toBeInstanceOf(RedirectError);
      expect(await other.requests()).toEqual([]);
    });

    it('takes another port or scheme of the same host for another server', async () => {
      const port = Number(/:(\d+)$/.exec(other.url)![1]);
      await sim.setFaults([
        { on: 'tags', kind: 'redirect', location: `http://127.0.0.1:${port}/api/tags` },
        { on: 'version', kind: 'redirect', location: `https://127.0.0.1:${port}/api/version` },
      ]);
      expect(await rejection(client.tags())).toBeInstanceOf(RedirectError);
      expect(await rejection(client.version())).toBeInstanceOf(RedirectError);
      expect(await other.requests()).toEqual([]);
    });

    it('gives up on a loop within the same server', async () => {
      await sim.setFaults(
        Array.from({ length: 10 }, () => ({ on: 'tags', kind: 'redirect', location: '/api/tags' })),
      );
      const error = await rejection(client.tags());
      expect(error).toBeInstanceOf(RedirectError);
      expect((error as RedirectError).message).toContain(
        'redirected the request more than 5 times',
      );
      expect((await sim.requests()).length).toBe(6);
    });

    it('never takes a 303 or a 3xx without an address for an answer', async () => {
      await sim.setInstalled([{ name: 'tiny:1b', size: 1 }]);
      await sim.setFaults([
        { on: 'delete', kind: 'redirect', status: 303, location: '/api/tags' },
        { on: 'delete', kind: 'http-status', status: 302, body: '' },
      ]);
      expect(await rejection(client.delete('tiny:1b'))).toBeInstanceOf(RedirectError);
      const error = await rejection(client.delete('tiny:1b'));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(302);
      expect((await sim.state()).installed).toEqual(['tiny:1b']);
    });
  });

  describe('faults', () => {
    const pullFailure = async (fault: object, name = 'tiny:1b') => {
      await sim.setFaults([{ on: 'pull', ...fault }]);
      return rejection(client.pull(name, () => {}));
    };

    it('reports 429 (a code Soup.Status has no name for) as a retryable HttpError', async () => {
      const error = await pullFailure({ kind: 'http-status', status: 429, body: '' });
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(429);
      expect((error as HttpError).retryable).toBeTrue();
      await sim.setFaults([{ on: 'tags', kind: 'http-status', status: 429, body: '' }]);
      const listing = await rejection(client.tags());
      expect((listing as HttpError).status).toBe(429);
    });

    it('reports HTTP 500 before the stream as a retryable HttpError', async () => {
      const error = await pullFailure({ kind: 'http-500', message: 'boom' });
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(500);
      expect((error as HttpError).serverText).toBe('boom');
      expect((error as HttpError).retryable).toBeTrue();
      await sim.setFaults([{ on: 'tags', kind: 'http-500' }]);
      expect(await rejection(client.tags())).toBeInstanceOf(HttpError);
    });

    it('reports an error line mid-stream as a retryable StreamError', async () => {
      const error = await pullFailure({ kind: 'mid-stream-error', afterBytes: 400_000 });
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).serverText).toBe('max retries exceeded: unexpected EOF');
      expect((error as StreamError).reason).toBe('network');
      expect((error as StreamError).retryable).toBeTrue();
    });

    it('reports a full disk as a StreamError that waiting does not fix', async () => {
      const error = await pullFailure({ kind: 'disk-full', afterBytes: 400_000 });
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).reason).toBe('disk-full');
      expect((error as StreamError).retryable).toBeFalse();
      expect((error as StreamError).message).toContain('Free some space');
    });

    it('reports a digest mismatch as a retryable StreamError', async () => {
      const error = await pullFailure({ kind: 'digest-mismatch' });
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).reason).toBe('digest-mismatch');
      expect((error as StreamError).retryable).toBeTrue();
    });

    it('reports a dropped connection as NetworkError reset', async () => {
      const error = await pullFailure({ kind: 'reset', afterBytes: 400_000 });
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).kind).toBe('reset');
      expect((error as NetworkError).retryable).toBeTrue();
    });

    it('reports a stream that ends without success as a download that stopped', async () => {
      const error = await pullFailure({ kind: 'truncate', afterBytes: 400_000 });
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).kind).toBe('reset');
      expect((error as NetworkError).message).toContain('stopped before it finished');
    });

    it('reports a line that is not JSON as MalformedReplyError', async () => {
      const error = await pullFailure({ kind: 'garbage-line', afterBytes: 400_000 });
      expect(error).toBeInstanceOf(MalformedReplyError);
      expect((error as MalformedReplyError).detail).toContain('<html>oops');
    });

    it('fails on a 2 MiB line with MalformedReplyError', async () => {
      const error = await pullFailure({ kind: 'huge-line' });
      expect(error).toBeInstanceOf(MalformedReplyError);
      expect((error as MalformedReplyError).detail).toContain('too long');
      expect((await sim.state(0)).activePulls).toBe(0);
    });

    it('recognises a web server that is not Ollama', async () => {
      await sim.setFaults([
        { on: 'version', kind: 'not-ollama' },
        { on: 'tags', kind: 'not-ollama' },
        { on: 'pull', kind: 'not-ollama' },
      ]);
      expect(await rejection(client.version())).toBeInstanceOf(NotOllamaError);
      expect(await rejection(client.tags())).toBeInstanceOf(NotOllamaError);
      const error = await rejection(client.pull('tiny:1b', () => {}));
      expect(error).toBeInstanceOf(NotOllamaError);
      expect((error as NotOllamaError).retryable).toBeFalse();
    });

    it('stops reading a short reply that grows beyond 32 MiB', async () => {
      await sim.setFaults([{ on: 'tags', kind: 'huge-line', bytes: 33 * 1024 * 1024 }]);
      const error = await rejection(client.tags());
      expect(error).toBeInstanceOf(MalformedReplyError);
      expect((error as MalformedReplyError).detail).toContain('larger than 32 MiB');
    });

    it('explains an https address for a server that speaks plain HTTP', async () => {
      client = new OllamaClient({ baseUrl: sim.url.replace('http:', 'https:'), clock });
      const error = await rejection(client.version());
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).problem).toBe('not-tls');
      expect((error as TlsError).retryable).toBeFalse();
    });

    it('reports a version reply of the wrong shape as not Ollama', async () => {
      await sim.setFaults([{ on: 'version', kind: 'http-status', status: 200, body: '{"v":1}' }]);
      expect(await rejection(client.version())).toBeInstanceOf(NotOllamaError);
    });
  });

  describe('cancelling and timing out', () => {
    it('cancels a pull mid-stream, closing the connection so the server stops', async () => {
      const cancellable = new Gio.Cancellable();
      let lines = 0;
      const error = await rejection(
        client.pull(
          'slow:7b',
          (line) => {
            if (line.completed && ++lines === 2) cancellable.cancel();
          },
          cancellable,
        ),
      );
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as CancelledError).retryable).toBeFalse();
      const state = await sim.state(0);
      expect(state.activePulls).toBe(0);
      expect(Object.values(state.partials).some((bytes) => bytes > 0)).toBeTrue();
    });

    it('fails at once with a cancellable that is already cancelled', async () => {
      const cancellable = new Gio.Cancellable();
      cancellable.cancel();
      expect(await rejection(client.tags(cancellable))).toBeInstanceOf(CancelledError);
      expect(await rejection(client.pull('tiny:1b', () => {}, cancellable))).toBeInstanceOf(
        CancelledError,
      );
    });

    it('reports a refused connection on a closed port', async () => {
      const listener = new Gio.SocketListener();
      const port = listener.add_any_inet_port(null);
      listener.close();
      const closed = new OllamaClient({ baseUrl: `http://127.0.0.1:${port}` });
      const error = await rejection(closed.version());
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).kind).toBe('refused');
      expect((error as NetworkError).message).toBe(
        `Ollama at 127.0.0.1:${port} refused the connection. Is it running?`,
      );
    });

    it('times out a short call that gets no answer', async () => {
      client = newClient({ timeoutSeconds: 2 });
      await sim.setFaults([{ on: 'tags', kind: 'delay', ms: 20_000 }]);
      const call = rejection(client.tags());
      await requestsReceived(1);
      clock.advance(1999);
      clock.advance(1);
      const error = await call;
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).seconds).toBe(2);
      expect((error as TimeoutError).retryable).toBeTrue();
      expect((error as TimeoutError).message).toContain('within 2 seconds');
    });

    it('times out a pull whose stream does not start', async () => {
      client = newClient({ timeoutSeconds: 1 });
      await sim.setFaults([{ on: 'pull', kind: 'delay', ms: 20_000 }]);
      const call = rejection(client.pull('tiny:1b', () => {}));
      await requestsReceived(1);
      clock.advance(1000);
      expect(await call).toBeInstanceOf(TimeoutError);
    });

    it('never times out a pull once its stream runs, however long it takes', async () => {
      client = newClient({ timeoutSeconds: 1 });
      let advanced = false;
      await client.pull('tiny:1b', (line) => {
        if (line.digest && !advanced) {
          advanced = true;
          clock.advance(3_600_000);
        }
      });
      expect(advanced).toBeTrue();
      expect(clock.pendingDelays()).toEqual([]);
    });

    it('lets a chat wait for the model to load once the request is sent', async () => {
      client = newClient({ timeoutSeconds: 1 });
      await sim.setInstalled([{ name: 'tiny:1b', size: 1 }]);
      await sim.setFaults([{ on: 'chat', kind: 'delay', ms: 200 }]);
      const chat = client.chat({ model: 'tiny:1b', messages: [] }, () => {});
      await requestsReceived(1);
      clock.advance(60_000);
      expect((await chat).done).toBeTrue();
    });
  });
});
