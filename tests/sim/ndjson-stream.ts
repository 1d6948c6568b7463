import { Reply } from './reply.js';
import type { Fault, ProgressSink } from './types.js';
import { goJson } from './wire.js';

const HUGE_LINE_DEFAULT = 2 * 1024 * 1024;

/** A streamed reply like Ollama's streamResponse: HTTP 200, application/x-ndjson, chunked. */
export class NdjsonStream extends Reply implements ProgressSink {
  async send(line: Record<string, unknown>): Promise<void> {
    this.start();
    await this.write(`${goJson(line)}\n`);
  }

  /** Once streaming has begun an error is one more line, and the status stays 200. */
  async fail(message: string): Promise<void> {
    await this.send({ error: message });
    this.finish();
  }

  async finish(): Promise<void> {
    this.start();
    this.end();
  }

  async disrupt(fault: Fault): Promise<boolean> {
    switch (fault.kind) {
      case 'reset':
        this.abort();
        return false;
      case 'truncate':
        await this.finish();
        return false;
      case 'stall':
        this.start();
        await this.stall(fault.ms);
        await this.finish();
        return false;
      case 'garbage-line':
        this.start();
        await this.write(`${fault.line ?? '<html>oops'}\n`);
        return !this.gone;
      case 'huge-line':
        this.start();
        await this.write(`${Reply.hugeLine(fault.bytes ?? HUGE_LINE_DEFAULT)}\n`);
        return !this.gone;
      default:
        return !this.gone;
    }
  }

  private start(): void {
    this.head(200, { 'Content-Type': 'application/x-ndjson' });
  }
}
