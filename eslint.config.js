import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '_build*/', 'build-aux/flatpak/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // GJS globals
        ARGV: 'readonly',
        imports: 'readonly',
        print: 'readonly',
        printerr: 'readonly',
        log: 'readonly',
        logError: 'readonly',
        console: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The app's sources are linted with their types: floating promises, unsafe any, ….
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Output goes through console (GLib's structured log) or a command's output, never
      // straight to stdout/stderr with GJS's own print functions.
      // Work nobody waits for goes through inBackground(), which logs what slips through.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      // GLib.Error, which GIO rejects with, is not an Error subclass in GJS.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      'no-restricted-globals': [
        'error',
        { name: 'print', message: 'Use console.log, or the command output.' },
        { name: 'printerr', message: 'Use console.error, or the command output.' },
        { name: 'log', message: 'Use console.log.' },
        { name: 'logError', message: 'Use console.error.' },
      ],
    },
  },
  {
    // The core is tested without a display: no toolkit, and no reaching up into the UI.
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**', 'src/application.ts', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['gi://Gtk*', 'gi://Adw*', 'gi://Gdk*'],
              message: 'Core modules must not import Gtk/Adw/Gdk.',
            },
            {
              group: ['**/ui/*', '../application.js'],
              message: 'The core must not import the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    // Promisified once, in the module src/main.ts imports first (and bundle.mjs injects).
    files: ['src/**/*.ts'],
    ignores: ['src/util/promisify.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Gio',
          property: '_promisify',
          message: 'Add the method to src/util/promisify.ts instead.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='get_status']",
          message:
            'get_status() throws for codes Soup.Status lacks (429 among them): read message.status_code.',
        },
      ],
    },
  },
  {
    files: ['tests/jasmine/**', 'tests/unit/**'],
    languageOptions: {
      globals: {
        describe: 'readonly',
        it: 'readonly',
        expect: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
        jasmine: 'readonly',
        spyOn: 'readonly',
        fail: 'readonly',
        pending: 'readonly',
        xit: 'readonly',
        fit: 'readonly',
        xdescribe: 'readonly',
        fdescribe: 'readonly',
      },
    },
  },
  {
    files: ['tests/sim/**', 'build-aux/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
