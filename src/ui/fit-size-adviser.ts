import type Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { ConnectionStore } from '../config/connection-store.js';
import { downloadSizeText, type DownloadSize } from '../fit/download-size.js';
import type { FitAdvice, FitAdvisor } from '../fit/fit-advisor.js';
import { memoryFigureText, type Fit } from '../fit/fit-verdict.js';
import { ModelName } from '../ollama/model-name.js';
import { fillTemplate } from '../util/text.js';
import type { SizeAdvice, SizeAdviser } from './size-adviser.js';

/**
 * Add Model's fit advice from the FitAdvisor: the registry, the GGUF header, the server's
 * memory and disk. A cancelled advice (the user typed on) is dropped when it comes, not
 * cancelled in flight: Soup requests cancelled while their reply came in kept their
 * connections now and then, and the next advice then waited on them for the whole
 * request time-out. Its requests are few and short, and their answers are cached.
 */
export class FitSizeAdviser implements SizeAdviser {
  readonly #advisor: FitAdvisor;
  readonly #connections: ConnectionStore;

  constructor(advisor: FitAdvisor, connections: ConnectionStore) {
    this.#advisor = advisor;
    this.#connections = connections;
  }

  async advise(
    connectionId: string,
    pullName: string,
    catalogSizeBytes: number | null,
    cancellable: Gio.Cancellable,
  ): Promise<SizeAdvice | null> {
    const connection = this.#connections.get(connectionId);
    if (!connection) return null;
    const name = ModelName.parse(pullName);
    const advice = await this.#advisor.advise(connection, name, catalogSizeBytes, null);
    cancellable.set_error_if_cancelled();
    return sizeAdviceOf(advice);
  }

  async adviseFile(
    connectionId: string,
    url: string,
    size: number,
    cancellable: Gio.Cancellable,
  ): Promise<SizeAdvice | null> {
    const connection = this.#connections.get(connectionId);
    if (!connection) return null;
    const advice = await this.#advisor.adviseFile(connection, url, size, null);
    cancellable.set_error_if_cancelled();
    return sizeAdviceOf(advice);
  }
}

/**
 * What Add Model shows of a FitAdvisor's answer: the verdict with the source of the memory
 * figure; the exact download (a download known only from the catalog shows the catalog's size,
 * marked approximate).
 */
function sizeAdviceOf(advice: FitAdvice): SizeAdvice {
  const { fit, need, download, disk } = advice;
  const known = fit.verdict !== 'unknown';
  return {
    kind: fit.verdict,
    verdict: verdictText(fit),
    download: download && !download.approximate ? downloadText(download) : null,
    downloadApproximate: download?.approximate ?? false,
    approximate: need?.rough ?? false,
    needBytes: known ? fit.needs : null,
    haveBytes: fit.has?.bytes ?? null,
    diskProblem: disk.verdict === 'no-room' ? disk.text : null,
  };
}

/** "Downloads 4.9 GB (1.2 GB already on this server)"; a model it has is not a download of 0 bytes. */
function downloadText(size: DownloadSize): string {
  return size.download === 0 && size.present > 0
    ? _('Already on this server')
    : downloadSizeText(size);
}

/**
 * "Fits in GPU memory: has 24.0 GB (entered by you)"; a too-large verdict already says
 * both figures. '' when unknown.
 */
function verdictText(fit: Fit): string {
  if (fit.text === null) return '';
  if (fit.verdict === 'too-large' || fit.has === null) return fit.text;
  return fillTemplate(_('{verdict}: has {memory}'), {
    verdict: fit.text,
    memory: memoryFigureText(fit.has),
  });
}
