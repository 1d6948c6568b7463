import { AvailableModel } from '../../../src/catalog/available-model.js';
import type { AvailableModels } from '../../../src/catalog/available-models.js';
import { ModelTag } from '../../../src/catalog/model-tag.js';
import { runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { terminalSafe, oneLine } from '../../../src/util/text.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, until } from '../pulls/pull-harness.js';
import { commandServices, capturedOutput } from '../helpers/command-services.js';

/** Clears the screen, links "click" to evil, sets the title, overwrites, clears again (C1). */
const HOSTILE =
  'a\x1b[2Jb \x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\ \x1b]0;pwned\x07c\rd\x9b2Je\x1bcf';
const CLEAN = 'ab click cdef';
/** Anything a terminal acts on, rather than shows. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('drops CSI, OSC and other escape sequences, in 7- and 8-bit form', () => {
    expect(terminalSafe(HOSTILE)).toBe(CLEAN);
    expect(terminalSafe('x\x1b[38;5;196my\x1b[0m')).toBe('xy');
    expect(terminalSafe('x\x9d8;;https://evil\x9cy')).toBe('xy');
    expect(terminalSafe('x\x1bP1$r\x1b\\y\x1b(Bz')).toBe('xyz');
  });

  it('drops an unterminated string sequence to the end, as a terminal would swallow it', () => {
    expect(terminalSafe('shown\x1b]0;never ends')).toBe('shown');
    expect(terminalSafe('shown\x1b')).toBe('shown');
  });

  it('drops carriage returns, other controls and bidi overrides, keeping newlines and tabs', () => {
    expect(terminalSafe('a\r\nb\tc\x00\x07\x08\x7f\x85d')).toBe('a\nb\tcd');
    expect(terminalSafe('abc\u202edef\u2066g\u2069')).toBe('abcdefg');
  });

  it('keeps every printable character', () => {
    const text = 'llama3.2:3b · 2.0 GB “Grüße” 日本語 مرحبا 🦙 <b>&amp;</b> \u00a0';
    expect(terminalSafe(text)).toBe(text);
  });

  it('keeps oneLine working on what it leaves', () => {
    expect(oneLine(terminalSafe('first\r\n  \x1b[1msecond\x1b[0m\n'))).toBe('first second');
  });
});

describe('CLI output of untrusted text', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [TINY]);
    manager = harness.manager();
    await manager.load();
    const catalog = {
      list: () => [
        new AvailableModel({
          name: `evil${HOSTILE}`,
          description: `match ${HOSTILE}`,
          features: [`tools${HOSTILE}`],
          tags: [new ModelTag('latest', 1e9)],
        }),
      ],
      problem: `Couldn’t refresh the model catalog: ${HOSTILE}`,
    } as unknown as AvailableModels;
    services = commandServices(harness, {
      pulls: async () => manager,
      catalog: () => Promise.resolve(catalog),
    });
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  function expectClean(): void {
    for (const line of [...out, ...err]) expect(line).not.toMatch(CONTROLS);
    expect(out.length + err.length).toBeGreaterThan(0);
  }

  it('lists models whose name and details hold escape sequences', async () => {
    // A server may send what the simulator would not take as a name: its reply is faked.
    const model = {
      name: `qwen3:8b${HOSTILE}`,
      model: 'qwen3:8b',
      size: 5_200_000_000,
      modified_at: '2026-01-01T00:00:00Z',
      digest: 'a'.repeat(64),
      details: { parameter_size: `8B${HOSTILE}`, quantization_level: `Q4${HOSTILE}` },
    };
    await sim.setFaults([
      { on: 'tags', kind: 'http-status', status: 200, body: JSON.stringify({ models: [model] }) },
    ]);
    expect(await runCommand(['list'], output, services)).toBe(0);
    expectClean();
    expect(out[1]).toContain(`qwen3:8b${CLEAN}`);
    expect(out[1]).toContain(`Q4${CLEAN}`);
  });

  it('prints a server’s error text as one clean line', async () => {
    await sim.setFaults([{ on: 'tags', kind: 'http-500', message: `boom\n${HOSTILE}` }]);
    expect(await runCommand(['list'], output, services)).toBe(1);
    expectClean();
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/^error: Ollama at .* failed: boom ab click cdef/);
  });

  it('prints the retry and failure of a pull cleanly', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'mid-stream-error', message: HOSTILE }]);
    const running = runCommand(['pull', 'tiny:1b'], output, services);
    await until(
      () => out.some((line) => line.startsWith('retrying tiny:1b in ')),
      'the retry line',
    );
    expect(out.find((line) => line.startsWith('retrying'))).toContain(CLEAN);
    harness.clock.advance(10_000);
    expect(await running).toBe(0);
    expect(await runCommand(['pull', `nothing:here`], output, services)).toBe(1);
    expectClean();
  });

  it('prints search results and the catalog’s problem from a hostile catalog cleanly', async () => {
    expect(await runCommand(['search', 'match'], output, services)).toBe(0);
    expectClean();
    expect(out[0]).toContain(`evil${CLEAN}`);
    expect(err).toEqual([`note: Couldn’t refresh the model catalog: ${CLEAN}`]);
  });

  it('echoes an unknown command cleanly', async () => {
    expect(await runCommand([`x${HOSTILE}`], output, services)).toBe(2);
    expectClean();
    expect(err[0]).toContain(`x${CLEAN}`);
  });
});
