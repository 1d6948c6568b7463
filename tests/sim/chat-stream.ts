import { FaultQueue } from './faults.js';
import type { NdjsonStream } from './ndjson-stream.js';
import type { Fault, InstalledModel } from './types.js';
import { goTime } from './wire.js';

export interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

/** Chat lines carry `message`, generate lines `response` (and `context` at the end). */
export type StreamShape = 'chat' | 'generate';

/**
 * A canned assistant reply, streamed one word every `tickMs` like POST /api/chat (or
 * POST /api/generate, with the prompt as the one user message).
 * A queued stream fault fires before the first line at or past `afterBytes` bytes of
 * body, or before the final `done` line if the reply is shorter.
 */
export class ChatStream {
  constructor(
    private readonly model: InstalledModel,
    private readonly requestedName: string,
    private readonly messages: ChatMessage[],
    private readonly out: NdjsonStream,
    private fault: Fault | null,
    private readonly tickMs: () => number,
    private readonly shape: StreamShape = 'chat',
  ) {}

  /** The same words for the same conversation, so tests can compare. */
  static replyText(modelName: string, messages: ChatMessage[]): string {
    const lastUser = [...messages].reverse().find((message) => message.role === 'user');
    const said = typeof lastUser?.content === 'string' ? lastUser.content.trim().slice(0, 80) : '';
    const echo = said ? ` You said: "${said}".` : '';
    return `Hello! I am ${modelName}, answering from the Paddock Ollama simulator.${echo}`;
  }

  static words(text: string): string[] {
    return text.match(/\S+\s*/g) ?? [];
  }

  /** The closing line's fields: done_reason, done, then the timing counters. */
  static doneFields(messages: ChatMessage[], words: number): Record<string, unknown> {
    const promptChars = messages.reduce((sum, m) => sum + String(m.content ?? '').length, 0);
    return {
      done_reason: 'stop',
      done: true,
      total_duration: 1_234_567_890 + words * 25_000_000,
      load_duration: 45_678_901,
      prompt_eval_count: Math.max(1, Math.round(promptChars / 4)),
      prompt_eval_duration: 123_456_789,
      eval_count: words,
      eval_duration: words * 25_000_000,
    };
  }

  async run(): Promise<void> {
    const words = ChatStream.words(ChatStream.replyText(this.model.name, this.messages));
    for (const word of words) {
      if (!(await this.checkFault())) return;
      await this.out.send(this.line(word, { done: false }));
      if (!(await this.wait())) return;
    }
    if (this.fault && !(await this.trip())) return;
    const done = ChatStream.doneFields(this.messages, words.length);
    await this.out.send(
      this.line(
        '',
        // Generate hands back the tokens of the exchange, for a follow-up request.
        this.shape === 'generate' ? { ...done, context: [1, 2, 3] } : done,
      ),
    );
    await this.out.finish();
  }

  private line(content: string, rest: Record<string, unknown>): Record<string, unknown> {
    const body =
      this.shape === 'chat' ? { message: { role: 'assistant', content } } : { response: content };
    return { model: this.requestedName, created_at: goTime(Date.now(), true), ...body, ...rest };
  }

  private async checkFault(): Promise<boolean> {
    if (this.out.gone) return false;
    if (!this.fault || this.out.bytesWritten < (this.fault.afterBytes ?? 0)) return true;
    return this.trip();
  }

  private async trip(): Promise<boolean> {
    const fault = this.fault as Fault;
    this.fault = null;
    switch (fault.kind) {
      case 'mid-stream-error':
      case 'disk-full':
      case 'digest-mismatch':
        await this.out.fail(FaultQueue.errorMessage(fault, this.model.layers[0].digest));
        return false;
      default:
        return this.out.disrupt(fault);
    }
  }

  private async wait(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.out.whenGone(),
      new Promise((resolve) => (timer = setTimeout(resolve, this.tickMs()))),
    ]);
    clearTimeout(timer);
    return !this.out.gone;
  }
}
