// src/fit/memory-need.ts
/** What running a model needs, in bytes, at one context length. */
export interface MemoryNeed {
  /** Weights + KV cache + compute graph: what must fit. */
  readonly total: number;
  readonly weights: number;
  readonly kvCache: number;
  readonly graph: number;
  readonly contextLength: number;
  /** From the file size alone (the GGUF header could not be read). */
  readonly rough: boolean;
}
