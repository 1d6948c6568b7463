import Gio from 'gi://Gio';

import { USAGE, runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness } from '../pulls/pull-harness.js';
import { commandServices, capturedOutput } from '../helpers/command-services.js';

describe('CLI paddock list and rm', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.setInstalled([
      { name: 'qwen3:8b', size: 5_200_000_000 },
      { name: 'gemma3:4b', size: 3_300_000_000 },
    ]);
    harness = new PullHarness(sim);
    await harness.setUp();
    services = commandServices(harness);
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  it('lists the installed models under a heading', async () => {
    expect(await runCommand(['list'], output, services)).toBe(0);
    expect(out[0]).toMatch(/^NAME +SIZE +PARAMETERS +QUANTIZATION +MODIFIED$/);
    expect(out.slice(1).map((line) => line.split(' ')[0])).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(err).toEqual([]);
  });

  it('says when nothing is installed', async () => {
    await sim.setInstalled([]);
    expect(await runCommand(['list'], output, services)).toBe(0);
    expect(out).toEqual([`No models are installed on Local Ollama (${sim.url}).`]);
  });

  it('says why the server cannot list them', async () => {
    await sim.setFaults([{ on: 'tags', kind: 'http-500', message: 'boom' }]);
    expect(await runCommand(['list'], output, services)).toBe(1);
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/^error: Ollama at .* failed: boom/);
  });

  it('lists through the model library, which the window’s views share', async () => {
    expect(await runCommand(['list'], output, services)).toBe(0);
    const state = services.library().state(harness.connectionId)!;
    expect(state.models.map((model) => model.name)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(state.refreshedAt).not.toBeNull();
  });

  it('has the library list the server again after rm, when a view shows it', async () => {
    const library = services.library();
    await library.load();
    expect(await runCommand(['rm', 'gemma3:4b'], output, services)).toBe(0);
    expect(library.state(harness.connectionId)!.loading).toBeTrue();
    await library.refresh(harness.connectionId);
    expect(library.state(harness.connectionId)!.models.map((model) => model.name)).toEqual([
      'qwen3:8b',
    ]);
  });

  it('removes a model, and fails for one that is not there', async () => {
    expect(await runCommand(['rm', 'gemma3:4b'], output, services)).toBe(0);
    expect(out).toEqual(['removed gemma3:4b']);
    expect((await sim.state()).installed).toEqual(['qwen3:8b']);
    expect(await runCommand(['rm', 'gemma3:4b'], output, services)).toBe(1);
    expect(err).toEqual([`error: model 'gemma3:4b' not found on Local Ollama (${sim.url})`]);
  });

  it('never says removed when the server sent the request elsewhere', async () => {
    await sim.setFaults([
      { on: 'delete', kind: 'redirect', status: 301, location: 'http://127.0.0.1:1/api/delete' },
      { on: 'delete', kind: 'http-status', status: 302, body: '' },
    ]);
    const host = sim.url.replace('http://', '');
    expect(await runCommand(['rm', 'gemma3:4b'], output, services)).toBe(1);
    expect(await runCommand(['rm', 'gemma3:4b'], output, services)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `error: Ollama at ${host} redirected to http://127.0.0.1:1; use that address.`,
      `error: Ollama at ${host} answered HTTP 302.`,
    ]);
    expect((await sim.state()).installed).toContain('gemma3:4b');
  });

  it('warns on stderr, as the dialog does, before a key goes unencrypted to another machine', async () => {
    const id = harness.connectionId;
    await harness.connections.update(id, { apiKey: 'sk-1' });
    expect(await runCommand(['list'], output, services)).toBe(0);
    expect(err).toEqual([]);

    await harness.connections.update(id, { url: 'http://192.0.2.10:11434' });
    // Cancelled at once: what matters is said before any request.
    const cancelled = new Gio.Cancellable();
    cancelled.cancel();
    const warning =
      'warning: the API key of Local Ollama goes unencrypted over the network to http://192.0.2.10:11434. Use an https:// address unless you trust every network between you and this server.';
    for (const command of [['list'], ['rm', 'gemma3:4b'], ['pull', 'gemma3:4b']]) {
      err.length = 0;
      expect(await runCommand(command, output, services, cancelled)).toBe(1);
      expect(err[0]).toBe(warning);
    }

    await harness.connections.update(id, { apiKey: null });
    err.length = 0;
    expect(await runCommand(['list'], output, services, cancelled)).toBe(1);
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/^error: /);
  });

  it('checks the name before asking the server', async () => {
    expect(await runCommand(['rm', 'a/b/c/d'], output, services)).toBe(1);
    expect(err[0]).toMatch(/^error: “a\/b\/c\/d” is not a valid model name/);
    expect(await runCommand(['list', 'extra'], output, services)).toBe(2);
    expect(err[1]).toBe(
      'error: list takes no arguments (got “extra”) (usage: paddock list [--outdated] [--json] [--connection NAME|URL])',
    );
    expect(await sim.requests()).toEqual([]);
  });

  it('documents the commands', async () => {
    expect(await runCommand(['help'], output, services)).toBe(0);
    expect(out).toEqual([USAGE]);
    for (const command of ['paddock pull NAME', 'paddock list', 'paddock rm NAME', '--connection'])
      expect(USAGE).toContain(command);
  });
});
