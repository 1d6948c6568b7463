// The arguments every benchmark takes from bench/run.sh.
import { parseArgs } from 'node:util';

/** `--scripts DIR` (the bundled GJS scripts) and `--runs N` (5 unless given); exits 2 on anything else. */
export function benchArguments() {
  const { values } = parseArgs({
    options: { scripts: { type: 'string' }, runs: { type: 'string', default: '5' } },
  });
  const runs = Number(values.runs);
  if (!values.scripts || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: main.mjs --scripts DIR [--runs N]');
    process.exit(2);
  }
  return { scripts: values.scripts, runs };
}
