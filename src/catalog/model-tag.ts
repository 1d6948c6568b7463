/** Decimal units, as ollama.com shows sizes: 1 GB = 1,000,000,000 bytes. */
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };
// "274MB", "4.9GB", "1.2 TB", "1.7kB", "270B"; digits are bounded so the result stays exact.
const SIZE_PATTERN = /^(\d{1,6}(?:\.\d{1,3})?) ?([kmgt]?b)$/i;

export interface ModelTagDetails {
  /** Context length as the catalog writes it ("128K", "512"); null when unknown. */
  context?: string | null;
  /** Accepted input, e.g. "Text, Image"; null when unknown. */
  input?: string | null;
  /** The catalog lists the tag without a download (size "-"): it runs on ollama.com. */
  cloudOnly?: boolean;
}

/** One tag of a model family, e.g. "3b" of llama3.2, as the catalog describes it. */
export class ModelTag {
  readonly name: string;
  /** Download size; null for cloud tags and when the catalog does not say. */
  readonly sizeBytes: number | null;
  readonly context: string | null;
  readonly input: string | null;
  /** Runs on ollama.com, not locally: nothing to download, never a default. */
  readonly isCloud: boolean;

  constructor(name: string, sizeBytes: number | null, details: ModelTagDetails = {}) {
    this.name = name;
    this.sizeBytes = sizeBytes;
    this.context = details.context ?? null;
    this.input = details.input ?? null;
    this.isCloud = details.cloudOnly === true || name.toLowerCase().includes('cloud');
  }

  /** What `ollama pull` takes: `family:tag`. */
  pullName(family: string): string {
    return `${family}:${this.name}`;
  }

  /**
   * Bytes from a size as ollama.com writes it ("274MB", "4.9GB", "1.2TB", "512KB");
   * null for "-" (cloud), an empty text, a size beyond 2^53 - 1 bytes and anything else
   * it cannot read.
   */
  static parseSize(text: string): number | null {
    const match = SIZE_PATTERN.exec(text.trim());
    if (!match) return null;
    const bytes = Math.round(Number(match[1]) * UNIT_BYTES[match[2].toLowerCase()]);
    return Number.isSafeInteger(bytes) ? bytes : null;
  }
}
