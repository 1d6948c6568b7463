/**
 * Starts work nobody waits for (a click's handler, a refresh). Such work reports its own
 * failures to the user; a rejection that still gets here is a bug, and goes to the log
 * with what was being done, instead of vanishing or becoming an "unhandled rejection".
 */
export function inBackground(
  work: Promise<unknown>,
  what: string,
  log: (...details: unknown[]) => void = (...details) => console.error(...details),
): void {
  work.catch((error: unknown) => log(`Paddock: ${what}:`, error));
}
