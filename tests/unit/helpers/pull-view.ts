import type { PullView } from '../../../src/pulls/pull-view.js';

/** A pull as its readers see it, streaming with nothing known yet; `fields` say the rest. */
export function pullView(fields: Partial<PullView> = {}): PullView {
  return {
    name: 'llama3.2:3b',
    status: 'pulling',
    text: '',
    error: null,
    completed: 0,
    total: 0,
    fraction: null,
    phase: 'starting',
    statusLine: '',
    speed: null,
    secondsLeft: null,
    stalledFor: null,
    retryIn: null,
    waitingFor: null,
    ...fields,
  };
}
