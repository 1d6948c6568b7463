import { JsonReply } from './json-reply.js';
import type { Fault, ProgressSink } from './types.js';

/**
 * `stream:false` (Ollama's waitForStream): progress is swallowed, then one reply with the
 * last line (`{"status":"success"}`), or HTTP 500 `{"error":…}`.
 */
export class FinalReply extends JsonReply implements ProgressSink {
  private latest: Record<string, unknown> = {};
  private spoiler: Fault | null = null;

  async send(line: Record<string, unknown>): Promise<void> {
    this.latest = line;
  }

  async fail(message: string): Promise<void> {
    await this.json(500, { error: message }, null, 'application/json');
  }

  async finish(): Promise<void> {
    await this.json(200, this.latest, this.spoiler, 'application/json');
  }

  async disrupt(fault: Fault): Promise<boolean> {
    switch (fault.kind) {
      case 'garbage-line':
      case 'huge-line':
        // They replace the final body; the pull itself goes on.
        this.spoiler = fault;
        return true;
      case 'reset':
      case 'truncate':
      case 'stall':
        // A pull's afterBytes counts downloaded bytes, not bytes of this body.
        await this.json(
          200,
          { status: 'success' },
          { ...fault, afterBytes: undefined },
          'application/json',
        );
        return false;
      default:
        return true;
    }
  }
}
