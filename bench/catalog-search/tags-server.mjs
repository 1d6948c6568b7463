// A loopback stand-in for an Ollama server, for the Add Model dialog's one request:
// GET /api/tags lists two installed models, in Ollama's format. Anything else is a 404.
import { createServer } from 'node:http';

const DIGEST = 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72';
const TAGS = JSON.stringify({
  models: ['llama3.2:latest', 'qwen3:8b'].map((name) => ({
    name,
    model: name,
    modified_at: '2026-04-01T10:00:00.000000000+02:00',
    size: 2019393189,
    digest: DIGEST,
    details: {
      parent_model: '',
      format: 'gguf',
      family: name.split(':')[0],
      families: null,
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M',
    },
  })),
});

export class TagsServer {
  #server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/api/tags') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(TAGS);
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end('{"error":"not found"}');
    }
  });

  /** Listens on 127.0.0.1; resolves to the base URL. */
  start() {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${this.#server.address().port}`),
      );
    });
  }

  close() {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
