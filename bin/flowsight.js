#!/usr/bin/env node
// The `flowsight` command. The code lives in dist/ (built by `npm run build`, or by `npm ci`
// through the prepare script); this file only finds it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/electron/cli/index.js', import.meta.url);

if (!existsSync(entry)) {
  process.stderr.write('Flowsight is not built yet: run npm run build (or npm ci, which builds it).\n');
  process.exit(1);
}

await import(entry.href);
