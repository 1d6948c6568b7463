// Makes the catalog shipped inside Paddock (data/catalog.json) from a catalog in the
// library format (an array of families with tag objects, as scraped from ollama.com):
// the most pulled families, with their tags and sizes, in the same format.
//   node build-aux/make-catalog.mjs INPUT OUTPUT [--top N]     (N defaults to 60)
// The output is formatted the way Prettier formats JSON, so it passes `prettier --check`.
import { readFileSync, writeFileSync } from 'node:fs';

const PRINT_WIDTH = 100;
const FAMILY_FIELDS = ['name', 'slug', 'description', 'features', 'tags', 'downloads'];
const TAG_FIELDS = ['name', 'size', 'context', 'input'];

function usage(message) {
  console.error(`make-catalog: ${message}\nusage: make-catalog.mjs INPUT OUTPUT [--top N]`);
  process.exit(2);
}

function parseArguments(argv) {
  const paths = [];
  let top = 60;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') {
      top = Number(argv[++i]);
      if (!Number.isInteger(top) || top < 1) usage('--top takes a whole number above 0');
    } else if (argv[i].startsWith('--')) usage(`unknown option ${argv[i]}`);
    else paths.push(argv[i]);
  }
  if (paths.length !== 2) usage('give an input and an output file');
  return { input: paths[0], output: paths[1], top };
}

function pick(object, fields) {
  const picked = {};
  for (const field of fields) if (field in object) picked[field] = object[field];
  return picked;
}

function downloadsOf(family) {
  return typeof family.downloads === 'number' && Number.isFinite(family.downloads)
    ? family.downloads
    : -1;
}

/** The most pulled families, most pulled first; equal counts keep the input's order. */
function topFamilies(catalog, top) {
  return catalog
    .filter((family) => family && typeof family.name === 'string' && Array.isArray(family.tags))
    .map((family, index) => ({ family, index }))
    .sort((a, b) => downloadsOf(b.family) - downloadsOf(a.family) || a.index - b.index)
    .slice(0, top)
    .map(({ family }) => ({
      ...pick(family, FAMILY_FIELDS),
      tags: family.tags
        .filter((tag) => tag && typeof tag === 'object')
        .map((tag) => pick(tag, TAG_FIELDS)),
    }));
}

// Prettier's JSON layout: a value stays on one line when it fits, else one entry a line;
// an array of two or more objects always takes one a line.
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flat(value) {
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${flat(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function alwaysBreaks(value) {
  return (
    Array.isArray(value) &&
    value.length > 1 &&
    value.every((item) => isObject(item) && Object.keys(item).length > 1)
  );
}

/** `used`: columns taken on the line before the value; `after`: characters after it. */
function format(value, indent, used, after) {
  const oneLine = flat(value);
  if (!isObject(value) && !Array.isArray(value)) return oneLine;
  if (oneLine === '[]' || oneLine === '{}') return oneLine;
  if (used + oneLine.length + after <= PRINT_WIDTH && !alwaysBreaks(value)) return oneLine;
  const inner = ' '.repeat(indent + 2);
  const items = Array.isArray(value)
    ? value.map((item) => ({ prefix: '', item }))
    : Object.entries(value).map(([key, item]) => ({ prefix: `${JSON.stringify(key)}: `, item }));
  const lines = items.map(({ prefix, item }, index) => {
    const comma = index < items.length - 1 ? 1 : 0;
    const text = format(item, indent + 2, inner.length + prefix.length, comma);
    return `${inner}${prefix}${text}${comma ? ',' : ''}`;
  });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.join('\n')}\n${' '.repeat(indent)}${close}`;
}

const { input, output, top } = parseArguments(process.argv.slice(2));
let catalog;
try {
  catalog = JSON.parse(readFileSync(input, 'utf8'));
} catch (error) {
  usage(`cannot read ${input}: ${error.message}`);
}
if (!Array.isArray(catalog)) usage(`${input} is not a catalog in the library format (an array)`);
const families = topFamilies(catalog, top);
if (families.length === 0) usage(`${input} lists no model families`);
writeFileSync(output, `${format(families, 0, 0, 0)}\n`);
const tags = families.reduce((sum, family) => sum + family.tags.length, 0);
console.log(`make-catalog: wrote ${families.length} families with ${tags} tags to ${output}`);
