#!/usr/bin/env node
// The errspec command. Installed from the registry, errspec is its build in dist/ and nothing else.
// In a checkout of its repository, the build (made by `npm run build`, which `npm install` runs) is
// used while it is newer than every generator source; after an edit to generator/, the TypeScript
// sources run through tsx (a devDependency) until the next build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'generator', 'cli.js');
const sources = join(root, 'generator');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const checkout = existsSync(join(sources, 'cli.ts'));
let cli = built;
if (checkout && !(existsSync(built) && statSync(built).mtimeMs >= newestSource(sources))) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = join(sources, 'cli.ts');
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
