import { gettext as _, ngettext } from 'gettext';

import { accessProblem } from '../hub/hub-client.js';
import { isPullable, pullName, type Quant, type QuantList } from '../hub/quants.js';
import { isRepoId } from '../hub/repo-id.js';
import type { HubRepo } from '../hub/types.js';
import { fillTemplate, formatAge, formatBytes, formatCount } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command } from './command-line.js';
import { formatColumns } from './columns.js';
import { CommandError } from './errors.js';
import { formatJson } from './json-output.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function accessText(repo: HubRepo): string {
  // Translators: in the ACCESS column of `paddock search --hf`.
  if (repo.private) return _('private');
  // Translators: in the ACCESS column of `paddock search --hf`: only accounts with access may download.
  return repo.gated === false ? '' : _('gated');
}

/**
 * The table `paddock search --hf TEXT` prints, in the Hub's order (most downloaded first):
 * `bartowski/Llama-3.2-3B-Instruct-GGUF   1.2M   1.4K   3 months ago`, gated ones marked.
 */
export function formatRepoTable(repos: readonly HubRepo[]): string[] {
  return formatColumns([
    [
      // Translators: a column heading of `paddock search --hf`.
      _('REPOSITORY'),
      // Translators: a column heading of `paddock search --hf`.
      _('DOWNLOADS'),
      // Translators: a column heading of `paddock search --hf`.
      _('LIKES'),
      // Translators: a column heading of `paddock search --hf`.
      _('UPDATED'),
      // Translators: a column heading of `paddock search --hf`.
      _('ACCESS'),
    ],
    ...repos.map((repo) => [
      repo.id,
      formatCount(repo.downloads),
      formatCount(repo.likes),
      (repo.lastModified === null ? null : formatAge(repo.lastModified)) ?? '-',
      accessText(repo),
    ]),
  ]);
}

function quantNote(quant: Quant, list: QuantList): string {
  if (!quant.complete)
    return fillTemplate(
      // Translators: a split model file of which some parts are missing on Hugging Face.
      ngettext(
        'only {present} of {parts} part present',
        'only {present} of {parts} parts present',
        quant.parts,
      ),
      { present: quant.files.length, parts: quant.parts },
    );
  if (!isPullable(quant))
    return fillTemplate(
      ngettext(
        'split in {parts} file; Ollama cannot pull split files',
        'split in {parts} files; Ollama cannot pull split files',
        quant.parts,
      ),
      { parts: quant.parts },
    );
  // Translators: marks the quantisation offered first in `paddock search --hf ID`.
  return quant === list.preferred ? _('default') : '';
}

/**
 * What `paddock search --hf ID` prints: one line a quant, smallest first, with its size
 * (a split file's parts added up) and notes, then how to pull the default.
 */
export function formatQuantTable(repo: HubRepo, list: QuantList): string[] {
  if (list.quants.length === 0)
    return [fillTemplate(_('{id} has no GGUF model files.'), { id: repo.id })];
  const lines = formatColumns([
    // Translators: column headings of `paddock search --hf ID`.
    [_('QUANT'), _('SIZE'), _('NOTE')],
    ...list.quants.map((quant) => [quant.name, formatBytes(quant.size), quantNote(quant, list)]),
  ]);
  if (list.visionProjector)
    lines.push(fillTemplate(_('Vision projector: {file}'), { file: list.visionProjector.path }));
  lines.push(
    list.preferred === null
      ? _('Ollama cannot pull any of these files.')
      : fillTemplate(_('Pull the default with: paddock pull {name}'), {
          name: pullName(repo.id, list.preferred),
        }),
  );
  return lines;
}

function repoJson(repo: HubRepo): Record<string, unknown> {
  return {
    id: repo.id,
    author: repo.author,
    downloads: repo.downloads,
    likes: repo.likes,
    last_modified: repo.lastModified,
    gated: repo.gated,
    private: repo.private,
  };
}

/** What `paddock search --hf ID --json` prints (documented in docs/cli.md: keep it stable). */
export function quantsJson(repo: HubRepo, list: QuantList): string {
  return formatJson({
    repo: repoJson(repo),
    quants: list.quants.map((quant) => ({
      name: quant.name,
      size: quant.size,
      files: quant.files.map((file) => file.path),
      parts: quant.parts,
      complete: quant.complete,
      pullable: isPullable(quant),
      default: quant === list.preferred,
      pull_name: isPullable(quant) ? pullName(repo.id, quant) : null,
    })),
    default: list.preferred === null ? null : list.preferred.name,
    vision_projector: list.visionProjector?.path ?? null,
  });
}

/**
 * `paddock search --hf TEXT|ID [--limit N] [--json]`: GGUF repositories on Hugging Face
 * that match TEXT, or the quants of the repository ID (`author/name`).
 */
export const runHubSearch: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['limit'], ['hf', 'json']);
  const text = parsed.positionals.join(' ').trim();
  if (text === '')
    throw new CommandError(
      _('search --hf needs the text to look for, or a repository such as author/name'),
      2,
    );
  const hub = services.hub();
  if (text.includes('/')) {
    if (!isRepoId(text))
      throw new CommandError(
        fillTemplate(
          _('“{id}” is not a Hugging Face repository name; they look like author/name'),
          {
            id: text,
          },
        ),
        2,
      );
    if (parsed.option('limit') !== null)
      throw new CommandError(_('--limit is for searches, not for a repository'), 2);
    const repo = await hub.repo(text, cancellable);
    const problem = accessProblem(repo);
    if (problem) throw new CommandError(problem.message);
    const list = await hub.quants(repo.id, cancellable);
    if (parsed.flag('json')) output.print(quantsJson(repo, list));
    else for (const line of formatQuantTable(repo, list)) output.print(line);
    return 0;
  }
  const limitText = parsed.option('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new CommandError(
      fillTemplate(_('--limit takes a whole number from 1 to {max}'), { max: MAX_LIMIT }),
      2,
    );
  const repos = await hub.search(text, { limit, cancellable });
  if (parsed.flag('json')) output.print(formatJson({ query: text, repos: repos.map(repoJson) }));
  else if (repos.length === 0)
    output.print(
      fillTemplate(_('No GGUF repositories on Hugging Face match “{query}”.'), { query: text }),
    );
  else for (const line of formatRepoTable(repos)) output.print(line);
  return 0;
};
