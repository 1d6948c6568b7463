import Gio from 'gi://Gio';

import { HubError } from '../../../src/hub/errors.js';
import { HubSearch, type HubSearchState } from '../../../src/hub/hub-search.js';
import type { HubRepo } from '../../../src/hub/types.js';
import { ManualClock } from '../helpers/manual-clock.js';

interface Asked {
  text: string;
  cancellable: Gio.Cancellable | null;
  resolve: (repos: HubRepo[]) => void;
  reject: (error: unknown) => void;
}

const repo = (id: string): HubRepo => ({
  id,
  author: id.split('/')[0],
  downloads: 1,
  likes: 0,
  lastModified: null,
  gated: false,
  private: false,
});

/** Lets the promise callbacks queued so far run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('Hub search as you type', () => {
  let clock: ManualClock;
  let asked: Asked[];
  let states: HubSearchState[];
  let search: HubSearch;

  beforeEach(() => {
    clock = new ManualClock();
    asked = [];
    states = [];
    const source = {
      search: (text: string, options: { cancellable?: Gio.Cancellable | null }) =>
        new Promise<HubRepo[]>((resolve, reject) =>
          asked.push({ text, cancellable: options.cancellable ?? null, resolve, reject }),
        ),
    };
    search = new HubSearch(source, clock, (state) => states.push(state), { delayMs: 400 });
  });

  it('asks the Hub once typing pauses, with the last text', () => {
    search.setText('l');
    clock.advance(200);
    search.setText('ll');
    clock.advance(200);
    search.setText('llama ');
    clock.advance(399);
    expect(asked).toEqual([]);
    expect(search.state).toEqual({ kind: 'searching', text: 'llama' });
    clock.advance(1);
    expect(asked.map((request) => request.text)).toEqual(['llama']);
  });

  it('cancels the older request when the text changes, and reports only the newest answer', async () => {
    search.setText('llama');
    clock.advance(400);
    const [first] = asked;
    search.setText('qwen');
    expect(first.cancellable?.is_cancelled()).toBeTrue();
    first.resolve([repo('bartowski/Llama-3.2-3B-Instruct-GGUF')]);
    clock.advance(400);
    asked[1].resolve([repo('Qwen/Qwen2.5-7B-Instruct-GGUF')]);
    await settle();
    const answers = states.filter((state) => state.kind === 'results');
    expect(answers).toEqual([
      { kind: 'results', text: 'qwen', repos: [repo('Qwen/Qwen2.5-7B-Instruct-GGUF')] },
    ]);
  });

  it('goes idle on an empty text without asking', () => {
    search.setText('llama');
    search.setText('  ');
    clock.advance(1000);
    expect(asked).toEqual([]);
    expect(search.state).toEqual({ kind: 'idle' });
  });

  it('reports a failure in words, and asks again on retry', async () => {
    search.setText('llama');
    clock.advance(400);
    asked[0].reject(
      new HubError('rate-limited', 'Hugging Face is limiting requests; try again in 30 s.', {
        retryAfterSeconds: 30,
      }),
    );
    await settle();
    expect(search.state).toEqual({
      kind: 'failed',
      text: 'llama',
      message: 'Hugging Face is limiting requests; try again in 30 s.',
    });
    search.retry();
    expect(asked.map((request) => request.text)).toEqual(['llama', 'llama']);
    asked[1].resolve([]);
    await settle();
    expect(search.state).toEqual({ kind: 'results', text: 'llama', repos: [] });
  });

  it('reports nothing after dispose', async () => {
    search.setText('llama');
    clock.advance(400);
    search.dispose();
    expect(asked[0].cancellable?.is_cancelled()).toBeTrue();
    const before = states.length;
    asked[0].resolve([]);
    await settle();
    clock.advance(1000);
    expect(states.length).toBe(before);
  });
});
