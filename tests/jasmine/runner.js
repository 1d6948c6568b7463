// A thin GJS boot for jasmine-core (what jasmine-gjs does): loads the specs, runs
// them on the GLib main loop, prints failures with stacks and a closing count line.
//   gjs -m tests/jasmine/runner.js [--filter TEXT] SPEC.js…
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import System from 'system';

const here = GLib.path_get_dirname(GLib.filename_from_uri(import.meta.url)[0]);
const projectRoot = GLib.build_filenamev([here, '..', '..']);
// Shims must exist before jasmine.js looks for them.
globalThis.queueMicrotask ??= (callback) => void Promise.resolve().then(callback);
const jasminePath = `${projectRoot}/node_modules/jasmine-core/lib/jasmine-core/jasmine.js`;
const [, jasmineBytes] = GLib.file_get_contents(jasminePath);
// jasmine.js is a classic script that defines `jasmineRequire` globally.
(0, eval)(new TextDecoder().decode(jasmineBytes));

// jasmine hooks global errors through browser-style listeners, which GJS lacks; GJS
// reports uncaught errors itself.
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};

const jasmineRequire = globalThis.jasmineRequire;
const jasmine = jasmineRequire.core(jasmineRequire);
const env = jasmine.getEnv();
Object.assign(globalThis, jasmineRequire.interface(jasmine, env));
globalThis.jasmine = jasmine;

let filter = null;
const specs = [];
const argv = [...ARGV];
while (argv.length > 0) {
  const arg = argv.shift();
  if (arg === '--filter') filter = argv.shift();
  else specs.push(arg);
}

env.configure({
  random: false,
  stopOnSpecFailure: false,
  // A spec that checks nothing cannot fail: it counts as failed.
  failSpecWithNoExpectations: true,
  specFilter: filter ? (spec) => spec.getFullName().includes(filter) : () => true,
});

// Async work left behind by one spec must not leak into the next.
function drainMainContext() {
  const context = GLib.MainContext.default();
  for (let i = 0; i < 1000 && context.pending(); i++) context.iteration(false);
}
afterEach(drainMainContext);

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const out = (text) => print(text);
env.addReporter({
  suiteDone(result) {
    for (const expectation of result.failedExpectations ?? [])
      failures.push({ name: `${result.fullName} (afterAll)`, expectation });
  },
  specDone(result) {
    if (result.status === 'passed') counts.passed++;
    else if (result.status === 'failed') {
      counts.failed++;
      for (const expectation of result.failedExpectations)
        failures.push({ name: result.fullName, expectation });
    } else counts.skipped++;
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip', excluded: 'skip' };
    if (result.status !== 'excluded')
      out(`${mark[result.status] ?? result.status} ${result.fullName}`);
  },
  jasmineDone(result) {
    for (const [index, { name, expectation }] of failures.entries()) {
      out(`\n${index + 1}) ${name}\n   ${expectation.message}`);
      if (expectation.stack) out(expectation.stack.replace(/^/gm, '     '));
    }
    if (result.incompleteReason) out(`\nincomplete: ${result.incompleteReason}`);
    for (const expectation of result.failedExpectations ?? []) {
      counts.failed++;
      out(`\nglobal failure: ${expectation.message}\n${expectation.stack ?? ''}`);
    }
    out('');
    out(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  },
});

const loop = new GLib.MainLoop(null, false);
let exitCode = 1;
(async () => {
  try {
    for (const spec of specs) {
      const file = Gio.File.new_for_commandline_arg(spec);
      await import(file.get_uri());
    }
    const result = await env.execute();
    exitCode = result.overallStatus === 'passed' && counts.failed === 0 ? 0 : 1;
  } catch (error) {
    out(`runner: ${error}\n${error.stack ?? ''}`);
    out(`${counts.passed} passed, ${counts.failed + 1} failed, ${counts.skipped} skipped`);
  } finally {
    loop.quit();
  }
})();
loop.run();
System.exit(exitCode);
