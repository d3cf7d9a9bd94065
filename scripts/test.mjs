#!/usr/bin/env node
// Runs every suite (unit + integration with Vitest, end-to-end with Playwright) and ends with
// one plain line: "N passed, N failed". Exit code is non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'flowsight-test-'));
let passed = 0;
let failed = 0;
let broken = false;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// 1. build what the server face, the CLI and the end-to-end tests run
if (run('npm', ['run', 'build']) !== 0) {
  console.error('The build failed; no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// 2. layer rules: ml-core compiles without Node or DOM types; every layer typechecks
if (run('npm', ['run', 'typecheck']) === 0) passed += 1;
else {
  console.error('typecheck failed (see above)');
  failed += 1;
}

// 3. unit + integration (Vitest)
const vitestJson = join(tmp, 'vitest.json');
const vitestCode = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0);
  if (vitestCode !== 0 && (r.numFailedTests ?? 0) === 0) broken = true; // e.g. a suite failed to load
  failed += r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0;
} else {
  broken = true;
}

// 4. end-to-end (Playwright against the server face)
const pwJson = join(tmp, 'playwright.json');
const pwCode = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
if (existsSync(pwJson)) {
  const r = JSON.parse(readFileSync(pwJson, 'utf8'));
  passed += r.stats?.expected ?? 0;
  failed += (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0);
  if (pwCode !== 0 && !(r.stats?.unexpected > 0)) broken = true;
} else {
  broken = true;
}

rmSync(tmp, { recursive: true, force: true });
if (broken && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
