#!/usr/bin/env node
// Fails, listing file:line, for user-visible string literals in src/**/*.ts that are not
// marked for translation with _(), ngettext(), pgettext() or C_().
//
//   node tests/i18n/check-marked-strings.mjs [--pot FILE] [--root DIR]
//
// A literal counts as user-visible when
//   - it is the value of a UI property (`title: '…'`, `.label = '…'`, `set_tooltip_text('…')`),
//     a response label (`add_response(id, '…')`) or an accessible name (`setAccessibleName`);
//   - it is printed on the terminal (`output.print…`) or is the message of a thrown error
//     (`new …Error('…')`) and reads as words;
//   - anywhere else, it reads as a sentence: three or more words and a capital at the start,
//     a final stop, or four words or more.
// Not checked: console.*, logError() and inBackground() (logs for developers), text matched against
// other programs' output (`.includes('…')`, `.test(…)`), developer errors that name a
// function ("…()"). A literal is left alone on purpose with a comment on its line, or on
// its own line right above: `// not translated: <why>`.
//
// Also checked: _() and friends are given plain string literals (xgettext extracts
// nothing from a variable or a template literal); every file with marked strings is
// listed in po/POTFILES.in; and with --pot, that every marked string is in that .pot
// (so the extraction really reads TypeScript).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const rootIndex = process.argv.indexOf('--root');
/** The project checked: this one, or another tree given with --root (for trying the rules). */
const project =
  rootIndex >= 0
    ? path.resolve(process.argv[rootIndex + 1])
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const GETTEXT_CALLS = new Map([
  // name → [context argument or -1, msgid argument, plural argument or -1]
  ['_', [-1, 0, -1]],
  ['gettext', [-1, 0, -1]],
  ['N_', [-1, 0, -1]],
  ['ngettext', [-1, 0, 1]],
  ['pgettext', [0, 1, -1]],
  ['C_', [0, 1, -1]],
]);
const UI_KEYS = new Set([
  'title',
  'label',
  'subtitle',
  'description',
  'body',
  'heading',
  'placeholder_text',
  'tooltip_text',
  'tooltip_markup',
  'text',
  'button_label',
  'comments',
  'translator_credits',
]);
const UI_SETTERS = new Set([...UI_KEYS].map((key) => `set_${key}`));
/** Calls whose arguments are printed for the user. */
const PRINT_CALL = /(^|\.)(print|printError|printerr|print_literal|printerr_literal)$/;
/** Calls whose string arguments are never shown: logs and matching others' text. */
const IGNORED_CALL =
  /(^|\.)(console\.\w+|logError|log|inBackground|includes|startsWith|endsWith|test|match|matchAll|replace|split|indexOf|RegExp|new RegExp)$/;
const OPT_OUT = /\/\/\s*not translated:\s*\S/;

/**
 * One literal: where it starts, its text with `{}` where a template substitutes, and its
 * value as xgettext sees it (null for a template with substitutions, which it skips).
 */
class Literal {
  constructor(line, text, value) {
    Object.assign(this, { line, text, value });
  }
}

// ---------------------------------------------------------------------------------------
// A small TypeScript scanner: comments, strings, template literals and regular
// expressions are told apart; brackets are tracked with the call or key they belong to.
// ---------------------------------------------------------------------------------------

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

function unescape(body) {
  return body.replace(
    /\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|\r?\n|.)/g,
    (_whole, what, codePoint, unit, byte) => {
      if (codePoint) return String.fromCodePoint(parseInt(codePoint, 16));
      if (unit) return String.fromCharCode(parseInt(unit, 16));
      if (byte) return String.fromCharCode(parseInt(byte, 16));
      const simple = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };
      if (what === '\n' || what === '\r\n') return '';
      return simple[what] ?? what;
    },
  );
}

/**
 * Scans one file: `onLiteral(literal, context)` for each string or template literal, with
 * the brackets around it; `onGettextArgument(frame, literal)` for a literal that is an
 * argument of a gettext call.
 */
function scan(file, source, onLiteral, onGettextArgument) {
  let i = 0;
  let line = 1;
  const stack = [];
  // The last significant token, to tell a regex from a division and a call from a group.
  let previous = { kind: 'start', value: '' };
  // Whether the last token began an entry of an object literal (after `{` or `,`).
  let previousStartsEntry = false;
  // The identifier chain before the current position (`output.printError`) and `new`.
  let chain = '';
  let isNew = false;
  // `.title = ` assignments: the name assigned to, until the statement goes on.
  let assignKey = null;

  const top = () => stack[stack.length - 1];
  const count = (text) => {
    for (const char of text) if (char === '\n') line++;
  };
  const push = (type, callee = '', callIsNew = false) =>
    stack.push({ type, callee, isNew: callIsNew, argIndex: 0, key: null });

  function token(kind, value) {
    const frame = top();
    previousStartsEntry =
      previous.kind === 'punct' &&
      (previous.value === ',' || previous.value === '{') &&
      frame !== undefined &&
      frame.type === '{';
    previous = { kind, value };
  }

  function readTemplate() {
    // At the backtick: the static text, with {} where a substitution goes.
    const startLine = line;
    let text = '';
    let substitutions = false;
    i++;
    for (;;) {
      if (i >= source.length) throw new Error(`${file}:${startLine}: unterminated template`);
      const char = source[i];
      if (char === '\\') {
        text += unescape(source.slice(i, i + 2));
        count(source.slice(i, i + 2));
        i += 2;
      } else if (char === '`') {
        i++;
        break;
      } else if (char === '$' && source[i + 1] === '{') {
        substitutions = true;
        text += '{}';
        i += 2;
        // An expression of its own, with its own literals.
        const depth = stack.length;
        push('${');
        previous = { kind: 'punct', value: '(' };
        scanUntil(() => stack.length === depth);
      } else {
        if (char === '\n') line++;
        text += char;
        i++;
      }
    }
    return new Literal(startLine, text, substitutions ? null : text);
  }

  function readString(quote) {
    const startLine = line;
    let j = i + 1;
    while (j < source.length && source[j] !== quote) {
      if (source[j] === '\\') j++;
      else if (source[j] === '\n') throw new Error(`${file}:${startLine}: unterminated string`);
      j++;
    }
    const body = source.slice(i + 1, j);
    count(body);
    i = j + 1;
    const value = unescape(body);
    return new Literal(startLine, value, value);
  }

  function regexAllowed() {
    if (previous.kind === 'start') return true;
    if (previous.kind === 'punct') return ![')', ']', '}'].includes(previous.value);
    if (previous.kind === 'word') return KEYWORDS_BEFORE_EXPRESSION.has(previous.value);
    return false;
  }

  function skipRegex() {
    let j = i + 1;
    let inClass = false;
    while (j < source.length && (source[j] !== '/' || inClass)) {
      const char = source[j];
      if (char === '\n') throw new Error(`${file}:${line}: unterminated regular expression`);
      if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      j += char === '\\' ? 2 : 1;
    }
    j++;
    while (j < source.length && /[a-z]/i.test(source[j])) j++;
    i = j;
  }

  function literalFound(literal) {
    const frame = top();
    onLiteral(literal, {
      frame,
      stack: [...stack],
      key: frame?.type === '{' ? frame.key : null,
      assignKey,
    });
    if (frame && frame.type === '(' && GETTEXT_CALLS.has(frame.callee))
      onGettextArgument(frame, literal);
    token('literal', literal.text);
    chain = '';
    isNew = false;
  }

  function punctuation(punct) {
    const frame = top();
    if (punct === '(') {
      const isCall = previous.kind === 'word' && !KEYWORDS_BEFORE_EXPRESSION.has(previous.value);
      push('(', isCall ? chain : '', isCall && isNew);
    } else if (punct === '[' || punct === '{') {
      push(punct);
    } else if (punct === ',') {
      if (frame) {
        frame.argIndex++;
        if (frame.type === '{') frame.key = null;
      }
      assignKey = null;
    } else if (punct === ':') {
      // `key: value` in an object literal; not `case x:`, a ternary or a type.
      if (frame?.type === '{' && previousStartsEntry && previous.kind !== 'punct')
        frame.key = previous.value;
    } else if (punct === '=') {
      assignKey = previous.kind === 'word' ? previous.value : null;
    } else if (punct === ';') {
      assignKey = null;
      if (frame?.type === '{') frame.key = null;
    }
    if (punct !== '.' && punct !== '?.') {
      chain = '';
      isNew = false;
    }
    token('punct', punct);
  }

  function scanUntil(done) {
    while (i < source.length) {
      const char = source[i];
      const next = source[i + 1];
      if (char === '\n') {
        line++;
        i++;
      } else if (/\s/.test(char)) {
        i++;
      } else if (char === '/' && next === '/') {
        const end = source.indexOf('\n', i);
        i = end < 0 ? source.length : end;
      } else if (char === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        count(source.slice(i, end));
        i = end + 2;
      } else if (char === "'" || char === '"') {
        literalFound(readString(char));
      } else if (char === '`') {
        literalFound(readTemplate());
      } else if (char === '/' && regexAllowed()) {
        skipRegex();
        token('literal', '');
      } else if (/[A-Za-z_$#]/.test(char)) {
        const name = /^[#\w$]+/.exec(source.slice(i, i + 200))[0];
        i += name.length;
        if (name === 'new') {
          isNew = true;
          chain = '';
        } else if (
          previous.kind === 'punct' &&
          (previous.value === '.' || previous.value === '?.')
        ) {
          chain = chain ? `${chain}.${name}` : name;
        } else {
          chain = name;
        }
        token('word', name);
      } else if (/\d/.test(char)) {
        i += /^\d[\w.]*/.exec(source.slice(i, i + 50))[0].length;
        chain = '';
        token('number', '');
      } else {
        const three = source.slice(i, i + 3);
        const two = source.slice(i, i + 2);
        const punct = THREE_CHAR.includes(three) ? three : TWO_CHAR.includes(two) ? two : char;
        i += punct.length;
        if (punct === ')' || punct === ']' || punct === '}') {
          stack.pop();
          if (done()) {
            token('punct', punct);
            return;
          }
          chain = '';
          isNew = false;
          token('punct', punct);
        } else {
          punctuation(punct);
        }
      }
    }
  }

  scanUntil(() => false);
}

const THREE_CHAR = ['===', '!==', '...', '**=', '??=', '||=', '&&=', '>>>'];
const TWO_CHAR = [
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
];

// ---------------------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------------------

const words = (text) => text.match(/\p{L}{2,}/gu) ?? [];

/** Identifiers, icon names, CSS classes, URLs, paths, property names: not for people. */
function looksLikeCode(text) {
  const trimmed = text.trim();
  if (trimmed === '' || words(trimmed).length === 0) return true;
  if (/^[a-z][\w.:/-]*$/.test(trimmed)) return true;
  if (/^[\w-]+:\/\//.test(trimmed)) return true;
  if (/^[\w.-]+\/[\w./-]*$/.test(trimmed)) return true;
  if (/^<[\w]+>/.test(trimmed)) return true;
  return false;
}

/** Text that reads as a sentence or a clause of one. */
function readsAsProse(text) {
  if (!/\s/.test(text) || text.includes('()')) return false;
  const count = words(text).length;
  if (count < 3) return false;
  const trimmed = text.trim();
  return count >= 4 || /^\p{Lu}/u.test(trimmed) || /[.?!:…]$/.test(trimmed);
}

function isIgnoredCall(frame) {
  return frame && IGNORED_CALL.test(frame.callee);
}

/** Why `literal` must be translated, or null. */
function problemOf(literal, { frame, stack, key, assignKey }) {
  const call = frame && frame.type === '(' ? frame : null;
  if (call && GETTEXT_CALLS.has(call.callee)) return null;
  if (stack.some((outer) => outer.type === '(' && isIgnoredCall(outer))) return null;
  const text = literal.text;
  const wordCount = words(text).length;
  if (wordCount === 0) return null;
  const code = looksLikeCode(text.replaceAll('{}', ''));
  // Developer errors name the function that was misused: "start() after shutdown()".
  const sentence = /\s/.test(text) && wordCount >= 2 && !text.includes('()');

  if (!code && key !== null && UI_KEYS.has(key)) return `the ${key} of a widget or message`;
  if (!code && assignKey !== null && UI_KEYS.has(assignKey) && !call)
    return `assigned to .${assignKey}`;
  if (call) {
    const name = call.callee.split('.').pop();
    if (!code && UI_SETTERS.has(name)) return `passed to ${name}()`;
    if (!code && name === 'add_response' && call.argIndex === 1) return 'a response label';
    if (!code && name === 'setAccessibleName' && call.argIndex === 1) return 'an accessible name';
    if (!code && call.callee === 'Gio.Notification.new') return 'a notification title';
    if (PRINT_CALL.test(call.callee)) return `printed by ${call.callee}()`;
    if (call.isNew && /Error$/.test(call.callee) && sentence)
      return `the message of ${call.callee.split('.').pop()}`;
  }
  if (readsAsProse(text)) return 'reads as a sentence';
  return null;
}

// ---------------------------------------------------------------------------------------
// Files, opt-outs, POTFILES and the .pot.
// ---------------------------------------------------------------------------------------

function sourceFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function optedOut(lines, line) {
  if (OPT_OUT.test(lines[line - 1] ?? '')) return true;
  const above = lines[line - 2] ?? '';
  return /^\s*\/\//.test(above) && OPT_OUT.test(above);
}

function readPot(file) {
  const entries = new Set();
  const text = readFileSync(file, 'utf8');
  const unquote = (value) =>
    JSON.parse(value.replace(/\\([^"\\nt])/g, (_whole, char) => `\\\\${char}`));
  let field = null;
  let current = {};
  const flush = () => {
    if (current.msgid !== undefined && current.msgid !== '')
      entries.add(
        `${current.msgctxt ?? ''}\u0004${current.msgid}\u0004${current.msgid_plural ?? ''}`,
      );
    current = {};
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const start = /^(msgctxt|msgid_plural|msgid|msgstr(\[\d+\])?)\s+(".*")$/.exec(line);
    if (start) {
      if (start[1] === 'msgctxt' || (start[1] === 'msgid' && current.msgstr !== undefined)) flush();
      if (start[1] === 'msgid' && current.msgid !== undefined) flush();
      field = start[1].startsWith('msgstr') ? 'msgstr' : start[1];
      current[field] = (current[field] ?? '') + unquote(start[3]);
    } else if (line.startsWith('"') && field) {
      current[field] += unquote(line);
    } else if (line === '') {
      flush();
      field = null;
    }
  }
  flush();
  return entries;
}

function main() {
  const args = process.argv.slice(2);
  const potIndex = args.indexOf('--pot');
  const potFile = potIndex >= 0 ? path.resolve(args[potIndex + 1]) : null;
  const potfiles = new Set(
    readFileSync(path.join(project, 'po', 'POTFILES.in'), 'utf8')
      .split('\n')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '' && !entry.startsWith('#')),
  );
  const pot = potFile ? readPot(potFile) : null;
  const problems = [];

  for (const full of sourceFiles(path.join(project, 'src'))) {
    const file = path.relative(project, full);
    const source = readFileSync(full, 'utf8');
    const lines = source.split('\n');
    let marked = 0;
    const gettextArgs = new Map();
    scan(
      file,
      source,
      (literal, context) => {
        const why = problemOf(literal, context);
        if (why && !optedOut(lines, literal.line)) {
          const shown = literal.text.length > 70 ? `${literal.text.slice(0, 67)}…` : literal.text;
          problems.push(`${file}:${literal.line}: ${JSON.stringify(shown)} is not marked (${why})`);
        }
      },
      (frame, literal) => {
        const [contextIndex, idIndex, pluralIndex] = GETTEXT_CALLS.get(frame.callee);
        const role =
          frame.argIndex === contextIndex
            ? 'context'
            : frame.argIndex === idIndex
              ? 'id'
              : frame.argIndex === pluralIndex
                ? 'plural'
                : null;
        if (role === null) return;
        if (literal.value === null) {
          problems.push(
            `${file}:${literal.line}: ${frame.callee}() is given a template literal; xgettext cannot extract it (use fillTemplate)`,
          );
          return;
        }
        const call = gettextArgs.get(frame) ?? { line: literal.line, callee: frame.callee };
        // 'a' + 'b' is one message to xgettext.
        call[role] = (call[role] ?? '') + literal.value;
        gettextArgs.set(frame, call);
      },
    );
    for (const call of gettextArgs.values()) {
      marked++;
      if (call.id === undefined) {
        problems.push(`${file}:${call.line}: ${call.callee}() has no string literal to extract`);
        continue;
      }
      const key = `${call.context ?? ''}\u0004${call.id}\u0004${call.plural ?? ''}`;
      if (pot && !pot.has(key))
        problems.push(
          `${file}:${call.line}: ${JSON.stringify(call.id)} is marked but missing from ${path.relative(project, potFile)}`,
        );
    }
    if (marked > 0 && !potfiles.has(file))
      problems.push(`${file}: has translatable strings but is not listed in po/POTFILES.in`);
  }
  // Blueprint: xgettext reads it as C, where only double quotes make a string.
  const blueprints = path.join(project, 'data', 'ui');
  for (const name of readdirSync(blueprints).sort()) {
    if (!name.endsWith('.blp')) continue;
    const file = path.join('data', 'ui', name);
    const lines = readFileSync(path.join(project, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (/\b(_|C_)\(\s*'/.test(text))
        problems.push(
          `${file}:${index + 1}: use double quotes in _() and C_(), or xgettext skips it`,
        );
    });
    if (lines.some((text) => /\b(_|C_)\(\s*"/.test(text)) && !potfiles.has(file))
      problems.push(`${file}: has translatable strings but is not listed in po/POTFILES.in`);
  }
  for (const entry of potfiles) {
    try {
      statSync(path.join(project, entry));
    } catch {
      problems.push(`po/POTFILES.in: ${entry} does not exist`);
    }
  }

  for (const problem of problems) console.log(problem);
  if (problems.length > 0) {
    console.log(`${problems.length} problem(s) with translatable strings`);
    process.exit(1);
  }
  console.log('every user-visible string in src/ is marked for translation');
}

main();
