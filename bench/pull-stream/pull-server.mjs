// A loopback stand-in for Ollama's POST /api/pull that replays prepared bodies as fast as
// the client takes them: every consumer gets the very same bytes in the very same writes.
import { once } from 'node:events';
import { createServer } from 'node:http';

/** What one write hands the socket; each becomes one HTTP chunk. */
const WRITE_BYTES = 16 * 1024;
const HOST = '127.0.0.1';

export class PullServer {
  /** @param {Map<string, Buffer>} bodies the NDJSON body of each model name */
  constructor(bodies) {
    this.bodies = bodies;
    // A client that goes away mid-request only ends its own response.
    this.server = createServer((request, response) =>
      this.handle(request, response).catch(() => response.destroy()),
    );
    this.url = '';
  }

  async start() {
    this.server.listen(0, HOST);
    await once(this.server, 'listening');
    this.url = `http://${HOST}:${this.server.address().port}`;
    return this.url;
  }

  async close() {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  async handle(request, response) {
    if (request.method !== 'POST' || request.url !== '/api/pull') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
      return;
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    let model;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf-8'));
      model = body.model ?? body.name;
    } catch {
      response.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end('{"error":"unexpected EOF"}');
      return;
    }
    // Like Ollama, an unknown model fails after the stream has started.
    const body =
      this.bodies.get(model) ??
      Buffer.from(
        '{"status":"pulling manifest"}\n{"error":"pull model manifest: file does not exist"}\n',
      );
    response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (let offset = 0; offset < body.length && !response.destroyed; offset += WRITE_BYTES) {
      if (!response.write(body.subarray(offset, offset + WRITE_BYTES))) await drained(response);
    }
    response.end();
  }
}

/** Back-pressure: the socket took the last write into its buffer, or the client left. */
function drained(response) {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
