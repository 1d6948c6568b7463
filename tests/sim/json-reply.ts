import { FaultQueue } from './faults.js';
import { Reply } from './reply.js';
import type { Fault } from './types.js';
import { goJson } from './wire.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const HUGE_LINE_DEFAULT = 2 * 1024 * 1024;

/** A reply with one body (gin's c.JSON, c.String), which a queued fault may spoil. */
export class JsonReply extends Reply {
  /** Sends `value` as Go would marshal it; `undefined` sends an empty body. */
  async json(
    status: number,
    value: unknown,
    fault: Fault | null = null,
    type = JSON_TYPE,
  ): Promise<void> {
    await this.body(status, value === undefined ? '' : goJson(value), type, fault);
  }

  async text(
    status: number,
    text: string,
    type: string,
    fault: Fault | null = null,
  ): Promise<void> {
    await this.body(status, text, type, fault);
  }

  /**
   * The body-level faults: error kinds become HTTP 500 (as before any stream), `reset`,
   * `truncate` and `stall` cut the body after `afterBytes`, the line kinds replace it.
   */
  private async body(
    status: number,
    text: string,
    type: string,
    fault: Fault | null,
  ): Promise<void> {
    switch (fault?.kind) {
      case 'mid-stream-error':
      case 'disk-full':
      case 'digest-mismatch':
        return this.whole(500, goJson({ error: FaultQueue.errorMessage(fault, '') }), JSON_TYPE);
      case 'garbage-line':
        return this.whole(status, `${fault.line ?? '<html>oops'}\n`, type);
      case 'huge-line':
        return this.whole(status, `${Reply.hugeLine(fault.bytes ?? HUGE_LINE_DEFAULT)}\n`, type);
      case 'reset': {
        const cut = fault.afterBytes ?? 0;
        if (cut > 0) {
          this.head(status, { 'Content-Type': type });
          await this.write(text.slice(0, cut));
        }
        this.abort();
        return;
      }
      case 'truncate':
        this.head(status, { 'Content-Type': type });
        await this.write(text.slice(0, fault.afterBytes ?? Math.floor(text.length / 2)));
        this.end();
        return;
      case 'stall':
        this.head(status, { 'Content-Type': type });
        await this.write(text.slice(0, fault.afterBytes ?? 0));
        await this.stall(fault.ms);
        this.end();
        return;
      default:
        return this.whole(status, text, type);
    }
  }

  private async whole(status: number, text: string, type: string): Promise<void> {
    // A handler that writes nothing (DELETE /api/delete) sends no Content-Type either.
    const typeHeader = text === '' ? {} : { 'Content-Type': type };
    this.head(status, { ...typeHeader, 'Content-Length': Buffer.byteLength(text) });
    await this.write(text);
    this.end();
  }
}
