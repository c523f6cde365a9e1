// The generated files are what the sources generate today: src/schema.d.ts from openapi.yaml, and the web
// console's bundle from src/. A change to either source without regenerating fails here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = (name) => fileURLToPath(new URL(`../scripts/${name}`, import.meta.url));
const run = (name, ...args) => {
  try {
    return { code: 0, output: execFileSync(process.execPath, [script(name), ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { code: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
};

test('src/schema.d.ts is what openapi.yaml generates (run `npm run generate` after changing the contract)', () => {
  const { code, output } = run('generate.mjs', '--check');
  assert.equal(code, 0, output);
});

test('the console bundle in src/IvsServerless.LocalHost/wwwroot is what src/ builds (run `npm run build`)', () => {
  const { code, output } = run('build.mjs', '--check-console');
  assert.equal(code, 0, output);
});
