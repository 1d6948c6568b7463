import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';

describe('Config MemorySecretStore', () => {
  it('keeps one key per connection with its label', async () => {
    const store = new MemorySecretStore();
    expect(await store.lookup('a')).toBeNull();
    await store.store('a', 'Paddock API key for A', 'k1');
    await store.store('b', 'Paddock API key for B', 'k2');
    await store.store('a', 'Paddock API key for A2', 'k3');
    expect(await store.lookup('a')).toBe('k3');
    expect(store.labelOf('a')).toBe('Paddock API key for A2');
    expect(store.ids()).toEqual(['a', 'b']);
    await store.clear('a');
    await store.clear('missing');
    expect(await store.lookup('a')).toBeNull();
    expect(store.ids()).toEqual(['b']);
  });
});
