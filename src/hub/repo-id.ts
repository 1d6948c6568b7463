/**
 * A Hub repository id: `author/name`, each part letters, digits, `-`, `_` and `.` (not
 * starting or ending with `-` or `.`, no `--` or `..`), at most 96 characters a part, as
 * huggingface_hub's validate_repo_id allows. Anything else in a reply is dropped, and the
 * command line refuses it before asking.
 */
const PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;

export function isRepoId(text: string): boolean {
  const parts = text.split('/');
  return parts.length === 2 && parts.every((part) => PART.test(part));
}
