import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { adviceLine, type FitAdvice } from '../fit/fit-advisor.js';
import { CancelledError } from '../ollama/errors.js';
import type { ModelName } from '../ollama/model-name.js';
import { systemClock, type TimerHandle } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import type { CommandOutput, CommandServices } from './command-line.js';
import type { ChosenConnection } from './connection-choice.js';
import { CommandError } from './errors.js';
import { adviseOn } from './fit-command.js';

/** How long a pull waits for the advice: a slow registry must not hold the download up. */
export const PULL_ADVICE_TIMEOUT_MS = 5000;

/**
 * What `paddock pull` says before it starts: the fit advisor's line on stderr, when
 * anything is known within PULL_ADVICE_TIMEOUT_MS (else nothing: the pull goes on without
 * it). Throws CommandError when the download cannot fit on the known free disk, unless
 * `force`; and when `cancellable` is cancelled meanwhile.
 */
export async function adviseBeforePull(
  name: ModelName,
  chosen: ChosenConnection,
  force: boolean,
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
): Promise<void> {
  const connection = services.connections.get(chosen.id);
  if (!connection) return;
  const clock = services.clock ?? systemClock;
  const advising = new Gio.Cancellable();
  const onCancel = cancellable?.connect(() => advising.cancel());
  let timer: TimerHandle | null = null;
  const timedOut = new Promise<null>((resolve) => {
    timer = clock.timeout(PULL_ADVICE_TIMEOUT_MS, () => {
      timer = null;
      resolve(null);
    });
  });
  let advice: FitAdvice | null;
  try {
    const asked = adviseOn(services, connection, name, advising);
    // Given up on at the timeout: its cancellation is no failure.
    asked.catch(() => {});
    advice = await Promise.race([asked, timedOut]);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    advice = null;
  } finally {
    if (timer !== null) clock.cancel(timer);
    advising.cancel();
    if (onCancel !== undefined) cancellable?.disconnect(onCancel);
  }
  if (cancellable?.is_cancelled()) throw new CommandError(_('cancelled'));
  if (advice === null || (advice.need === null && advice.download === null)) return;
  output.printError(adviceLine(advice));
  if (advice.disk.verdict === 'no-room' && advice.disk.text !== null && !force)
    throw new CommandError(
      fillTemplate(_('{reason} (use --force to pull anyway)'), { reason: advice.disk.text }),
    );
}
