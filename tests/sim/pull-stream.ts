import type { DownloadWaiter } from './download-waiter.js';
import { FaultQueue } from './faults.js';
import type { ModelName } from './model-name.js';
import type { SimState } from './sim-state.js';
import type { Fault, Layer, ProgressSink } from './types.js';
import { progressLine, sha256Hex } from './wire.js';

/**
 * One POST /api/pull, in the order Ollama's PullModel reports it: `pulling manifest`, each
 * layer (config blob last) from a shared download, `verifying sha256 digest`, `writing
 * manifest`, `removing unused layers` when a re-pull orphaned blobs, `success`.
 *
 * A queued stream fault fires once the model's downloaded bytes (what the client sees as
 * the sum of `completed`) reach its `afterBytes`, checked after `pulling manifest` and after
 * every layer line; if the pull ends first, just before `verifying sha256 digest`. A
 * digest mismatch without `afterBytes` fires at verification, as in Ollama.
 */
export class PullStream {
  private readonly completed = new Map<string, number>();
  private waiter: DownloadWaiter | null = null;

  constructor(
    private readonly state: SimState,
    private readonly name: ModelName,
    private readonly out: ProgressSink,
    private fault: Fault | null,
  ) {}

  async run(): Promise<void> {
    this.state.pullStarted(this.name.displayShortest());
    try {
      await this.steps();
    } finally {
      this.leaveDownload();
      this.state.pullEnded(this.name.displayShortest());
    }
  }

  private async steps(): Promise<void> {
    const out = this.out;
    await out.send({ status: 'pulling manifest' });
    if (!(await this.pause())) return;
    const manifest = this.state.pullable(this.name);
    if (typeof manifest === 'string') {
      await out.fail(manifest);
      return;
    }
    if (!manifest) {
      await out.fail('pull model manifest: file does not exist');
      return;
    }
    const weights = manifest.layers[0];
    if (!(await this.checkFault(weights))) return;
    for (const layer of manifest.layers) {
      if (!(await this.pullLayer(layer))) return;
    }
    if (this.fault && this.fault.kind !== 'digest-mismatch') {
      if (!(await this.trip(manifest.layers[manifest.layers.length - 1]))) return;
    }
    await out.send({ status: 'verifying sha256 digest' });
    if (this.fault?.kind === 'digest-mismatch') {
      await this.trip(weights);
      return;
    }
    if (!(await this.pause())) return;
    await out.send({ status: 'writing manifest' });
    if (out.gone) return;
    const removedLayers = this.state.store.install(manifest, Date.now());
    if (removedLayers) await out.send({ status: 'removing unused layers' });
    await out.send({ status: 'success' });
    await out.finish();
  }

  /** False when the pull is over (client gone, or a fault ended it). */
  private async pullLayer(layer: Layer): Promise<boolean> {
    const status = `pulling ${layer.digest.slice(7, 19)}`;
    if (this.state.store.hasBlob(layer.digest)) {
      this.completed.set(layer.digest, layer.size);
      await this.out.send(progressLine(status, layer.digest, layer.size, layer.size));
      return this.checkFault(layer);
    }
    this.waiter = this.state.downloads.join(layer);
    for (;;) {
      const event = await Promise.race([this.waiter.next(), this.out.whenGone().then(() => null)]);
      if (event === null || this.out.gone || event.kind === 'stopped') return false;
      if (event.kind === 'done') {
        this.completed.set(layer.digest, layer.size);
        this.leaveDownload();
        return true;
      }
      this.completed.set(layer.digest, event.completed);
      await this.out.send(progressLine(status, layer.digest, layer.size, event.completed));
      if (!(await this.checkFault(layer))) return false;
    }
  }

  private async checkFault(layer: Layer): Promise<boolean> {
    const fault = this.fault;
    if (this.out.gone) return false;
    if (!fault || (fault.kind === 'digest-mismatch' && fault.afterBytes === undefined)) return true;
    if (this.downloaded() < (fault.afterBytes ?? 0)) return true;
    return this.trip(layer);
  }

  private async trip(layer: Layer): Promise<boolean> {
    const fault = this.fault as Fault;
    this.fault = null;
    switch (fault.kind) {
      case 'mid-stream-error':
      case 'disk-full':
        await this.out.fail(FaultQueue.errorMessage(fault, layer.digest));
        return false;
      case 'digest-mismatch':
        this.leaveDownload();
        this.state.downloads.discard(layer.digest);
        await this.out.fail(FaultQueue.errorMessage(fault, layer.digest));
        return false;
      case 'endless-layers':
        await this.endlessLayers();
        return false;
      default:
        return this.out.disrupt(fault);
    }
  }

  /** A blob line with a new digest each time, for as long as the client reads them. */
  private async endlessLayers(): Promise<void> {
    for (let n = 0; !this.out.gone; n++) {
      const digest = `sha256:${sha256Hex(`endless#${n}`)}`;
      await this.out.send(progressLine(`pulling ${digest.slice(7, 19)}`, digest, 1000, 1000));
      // Lets the close of the connection (and other requests) through.
      if (n % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private downloaded(): number {
    let sum = 0;
    for (const bytes of this.completed.values()) sum += bytes;
    return sum;
  }

  private leaveDownload(): void {
    this.waiter?.leave();
    this.waiter = null;
  }

  /** The server's own think time between steps (`stepMs`); false if the client left. */
  private async pause(): Promise<boolean> {
    const ms = this.state.config.stepMs;
    if (ms > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.out.whenGone(),
        new Promise((resolve) => (timer = setTimeout(resolve, ms))),
      ]);
      clearTimeout(timer);
    }
    return !this.out.gone;
  }
}
