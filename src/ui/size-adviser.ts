import type Gio from 'gi://Gio';

import type { FitKind } from '../catalog/size-variants.js';

export type { FitKind };

/** What Add Model shows about one tag on one server. */
export interface SizeAdvice {
  readonly kind: FitKind;
  /** For people, shown as given: "Fits in GPU memory", "Too large for this server (…)"; '' shows nothing. */
  readonly verdict: string;
  /** For people: "Downloads 4.9 GB (1.2 GB already on this server)"; null: the catalog's size is shown. */
  readonly download: string | null;
  /** The registry could not say: the catalog's download size is all there is, and approximate. */
  readonly downloadApproximate?: boolean;
  /** The figures behind the verdict are a rough estimate; Add Model says so after the verdict. */
  readonly approximate: boolean;
  /** Recommended above the other sizes: it becomes the default size. */
  readonly preferred?: boolean;
  /** Memory the model needs and the server has, in bytes, for the too-large confirmation. */
  readonly needBytes?: number | null;
  readonly haveBytes?: number | null;
  /** Why the download may not fit on the server's disk, with both numbers; null when it fits or nobody knows. */
  readonly diskProblem?: string | null;
}

/**
 * Tells Add Model whether a tag fits a server. Add Model asks once per plain size and
 * for the chosen variant, all at once, and cancels what it no longer needs (another
 * model, another server, the dialog closed). Null: nothing known, nothing shown.
 */
export interface SizeAdviser {
  advise(
    connectionId: string,
    pullName: string,
    catalogSizeBytes: number | null,
    cancellable: Gio.Cancellable,
  ): Promise<SizeAdvice | null>;

  /** The same for a GGUF file at `url` of `size` bytes (a Hugging Face quant). */
  adviseFile(
    connectionId: string,
    url: string,
    size: number,
    cancellable: Gio.Cancellable,
  ): Promise<SizeAdvice | null>;
}
