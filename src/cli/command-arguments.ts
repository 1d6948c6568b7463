import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import { CommandError } from './errors.js';

/**
 * The words after a command's name: positional arguments, `--option VALUE` (or
 * `--option=VALUE`) pairs and `--flag`s, in any order; `--` ends the options. Only the
 * options and flags a command names are accepted, each at most once.
 */
export class CommandArguments {
  private constructor(
    readonly positionals: readonly string[],
    private readonly options: ReadonlyMap<string, string>,
    private readonly flags: ReadonlySet<string>,
  ) {}

  /** Throws CommandError (status 2) for an unknown, repeated or empty option. */
  static parse(
    args: readonly string[],
    optionNames: readonly string[],
    flagNames: readonly string[] = [],
  ): CommandArguments {
    const positionals: string[] = [];
    const options = new Map<string, string>();
    const flags = new Set<string>();
    for (let i = 0; i < args.length; i++) {
      const word = args[i];
      if (word === '--') {
        positionals.push(...args.slice(i + 1));
        break;
      }
      if (!word.startsWith('-') || word === '-') {
        positionals.push(word);
        continue;
      }
      const equals = word.indexOf('=');
      const name = (equals >= 0 ? word.slice(0, equals) : word).replace(/^--?/, '');
      if (word.startsWith('--') && flagNames.includes(name) && equals < 0) {
        if (flags.has(name))
          throw new CommandError(
            fillTemplate(_('--{option} is given more than once'), { option: name }),
            2,
          );
        flags.add(name);
        continue;
      }
      if (!word.startsWith('--') || !optionNames.includes(name))
        throw new CommandError(
          fillTemplate(_('unknown option “{option}”'), {
            option: equals >= 0 ? word.slice(0, equals) : word,
          }),
          2,
        );
      if (options.has(name))
        throw new CommandError(
          fillTemplate(_('--{option} is given more than once'), { option: name }),
          2,
        );
      const value = equals >= 0 ? word.slice(equals + 1) : args[++i];
      if (value === undefined || value.trim() === '')
        throw new CommandError(fillTemplate(_('--{option} needs a value'), { option: name }), 2);
      options.set(name, value);
    }
    return new CommandArguments(positionals, options, flags);
  }

  /** Whether the flag was given. */
  flag(name: string): boolean {
    return this.flags.has(name);
  }

  /** The option's value, or null when it was not given. */
  option(name: string): string | null {
    return this.options.get(name) ?? null;
  }

  /**
   * The one positional argument a command takes; CommandError (status 2) with `missing`
   * when there is none, and when there are more.
   */
  single(missing: string): string {
    if (this.positionals.length === 0) throw new CommandError(missing, 2);
    if (this.positionals.length > 1)
      throw new CommandError(
        fillTemplate(_('one name at a time, please (got {names})'), {
          names: this.positionals
            .map((word) => fillTemplate(_('“{text}”'), { text: word }))
            .join(', '),
        }),
        2,
      );
    return this.positionals[0];
  }

  /** CommandError (status 2) when positional arguments were given to a command that takes none. */
  none(command: string): void {
    if (this.positionals.length > 0)
      throw new CommandError(
        fillTemplate(_('{command} takes no arguments (got “{argument}”)'), {
          command,
          argument: this.positionals[0],
        }),
        2,
      );
  }
}
