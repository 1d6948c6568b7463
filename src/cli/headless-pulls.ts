import { gettext as _ } from 'gettext';

import type { AppServices } from '../app-services.js';
import { PullsElsewhereError } from '../pulls/errors.js';
import { PullOwner } from '../pulls/pull-owner.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { fillTemplate } from '../util/text.js';
import { runCommand, type CommandOutput, type CommandServices } from './command-line.js';

/**
 * The pulls of a `paddock` run without the window. The first command that needs them
 * takes the owner lock (PullOwner) if it is free, and this process then runs the pulls:
 * it resumes those loading.json lists, and runs the pull commands other `paddock`
 * processes send it, until giveUp(). When another process owns them, or takes them over
 * (a window starting), commands needing them reject with PullsElsewhereError.
 */
export class HeadlessPulls {
  readonly commandServices: CommandServices;
  #owner: PullOwner | null = null;
  #manager: Promise<PullManager> | null = null;

  constructor(
    private readonly services: AppServices,
    private readonly output: CommandOutput,
  ) {
    this.commandServices = {
      catalog: () => services.catalog(),
      connections: services.connections,
      clients: services.clients,
      library: () => services.library(),
      pulls: () => this.#acquire(),
      updates: () => services.updates(),
      hub: () => services.hub(),
      fitAdvisor: () => services.fitAdvisor(),
    };
  }

  /** Stops and saves the pulls run here, then frees the lock for the next owner. */
  async giveUp(): Promise<void> {
    const owner = this.#owner;
    const manager = this.#manager;
    this.#owner = null;
    this.#manager = null;
    if (manager) await (await manager).shutdown();
    await owner?.release();
  }

  #acquire(): Promise<PullManager> {
    if (this.#manager) return this.#manager;
    const owner = PullOwner.tryAcquire(this.services.dataDir);
    if (!owner) return Promise.reject(new PullsElsewhereError());
    this.#owner = owner;
    this.#manager = this.#own(owner);
    return this.#manager;
  }

  async #own(owner: PullOwner): Promise<PullManager> {
    const manager = this.services.createPullManager();
    owner.serve({
      run: (args, output) => runCommand(args, output, this.commandServices, null),
      // A window asks: it shows the pulls and lets them be paused or cancelled.
      takeover: async () => {
        await manager.shutdown();
        return null;
      },
    });
    const { problems } = await manager.load();
    for (const text of problems)
      this.output.printError(fillTemplate(_('note: {message}'), { message: text }));
    return manager;
  }
}
