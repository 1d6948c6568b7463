/** How the Hub gates a repository: `false`, or how access is granted ("auto", "manual"). */
export type GatedState = false | 'auto' | 'manual';

/** A model repository on the Hugging Face Hub, as search and the model page report it. */
export interface HubRepo {
  /** `author/name`, e.g. `bartowski/Llama-3.2-3B-Instruct-GGUF` (checked by isRepoId). */
  id: string;
  author: string;
  downloads: number;
  likes: number;
  /** RFC 3339, as the Hub wrote it; null when it gave none. */
  lastModified: string | null;
  gated: GatedState;
  private: boolean;
}

/** One file of a repository's tree, with its path from the repository's root. */
export interface HubFile {
  path: string;
  /** Bytes (for LFS files the stored object's size). */
  size: number;
}
