import { ClientPool, KEYRING_TIMEOUT_SECONDS } from '../../../src/config/client-pool.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { FakeSecretStore } from '../config/fake-secret-store.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, slowModel, until, untilStatus } from './pull-harness.js';

describe('Pulls and the keyring', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let secrets: FakeSecretStore;
  let harness: PullHarness;
  let manager: PullManager;

  beforeEach(async () => {
    sim = simulator();
    secrets = new FakeSecretStore();
    harness = await PullHarness.against(sim, [TINY], secrets);
    await harness.connections.update(harness.connectionId, { apiKey: 'sesame' });
    await sim.configure({ token: 'sesame' });
    manager = harness.manager({
      clients: new ClientPool(harness.connections, () => 30, { clock: harness.clock }),
    });
    await manager.load();
  });

  afterEach(async () => {
    secrets.release();
    await harness.tearDown();
  });

  const pullRequests = async () =>
    (await sim.requests()).filter((request) => request.path === '/api/pull');

  it('says it waits for a locked keyring, then gives up on it for a while', async () => {
    secrets.hold();
    const job = manager.start(harness.connectionId, 'tiny:1b');
    expect(job.status).toBe('pulling');
    expect(job.text).toBe('Starting…');
    harness.clock.advance(1000);
    expect(job.waitingFor).toBe('keyring');
    expect(job.text).toBe('Waiting for the keyring…');

    harness.clock.advance(KEYRING_TIMEOUT_SECONDS * 1000 - 1000);
    await untilStatus(job, 'pending-retry', 1);
    expect(job.error).toBe(
      'Paddock could not read the API key of “Local Ollama” from the keyring: it did not answer within 60 seconds. Unlock the keyring, then try again.',
    );
    expect(job.waitingFor).toBeNull();
    expect(await pullRequests()).toEqual([]);

    secrets.release();
    harness.clock.advance(10_000);
    await untilStatus(job, 'complete');
    expect((await pullRequests()).map((request) => request.authorization)).toEqual([
      'Bearer sesame',
    ]);
  });

  it('never pulls without the key when the keyring fails', async () => {
    secrets.failure = new Error('the collection is locked');
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'pending-retry', 1);
    expect(job.error).toBe(
      'Paddock could not read the API key of “Local Ollama” from the keyring: the collection is locked',
    );
    expect(await pullRequests()).toEqual([]);
  });

  it('goes on with the other pulls of the connection when the keyring fails', async () => {
    await sim.addModels([slowModel('slow:7b')]);
    const first = manager.start(harness.connectionId, 'slow:7b');
    await until(() => first.completed > 0, 'the first pull runs');
    secrets.failure = new Error('the collection is locked');
    const second = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(second, 'pending-retry', 1);
    const before = first.completed;
    await until(() => first.completed > before, 'the first pull goes on');
    expect(first.status).toBe('pulling');
    expect(first.retryCount).toBe(0);
  });
});
