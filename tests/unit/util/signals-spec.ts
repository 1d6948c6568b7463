import GObject from 'gi://GObject';

import { connectObject, disconnectObject } from '../../../src/util/signals.js';

class Source extends GObject.Object {
  static {
    GObject.registerClass(
      { Signals: { ping: {}, pong: { param_types: [GObject.TYPE_INT] } } },
      this,
    );
  }
}

describe('Signals connectObject', () => {
  it('connects handlers for an owner and disconnects them all at once', () => {
    const source = new Source();
    const other = new Source();
    const owner = {};
    const seen: string[] = [];
    connectObject(owner, source, {
      ping: () => seen.push('ping'),
      pong: (_source: Source, value: number) => seen.push(`pong ${value}`),
    });
    connectObject(owner, other, { ping: () => seen.push('other ping') });
    source.emit('ping');
    source.emit('pong', 3);
    other.emit('ping');
    disconnectObject(owner);
    disconnectObject(owner);
    source.emit('ping');
    other.emit('ping');
    expect(seen).toEqual(['ping', 'pong 3', 'other ping']);
  });

  it('keeps the handlers of other owners', () => {
    const source = new Source();
    const [first, second] = [{}, {}];
    let calls = 0;
    connectObject(first, source, { ping: () => calls++ });
    connectObject(second, source, { ping: () => calls++ });
    disconnectObject(first);
    source.emit('ping');
    expect(calls).toBe(1);
    disconnectObject(second);
  });
});
