#!/usr/bin/env node
// The errspec command. It runs the generator's build in dist/ (made by `npm run build`, which
// `npm install` runs) while that build is newer than every generator source; after an edit to
// generator/, it runs the TypeScript sources through tsx until the next build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'generator', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

let cli;
if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(root, 'generator'))) {
  cli = built;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = join(root, 'generator', 'cli.ts');
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
