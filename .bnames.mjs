import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const p = process.argv[2] ?? 'ltx';
const r = await build({ stdin: { contents: `import { classifyResponse } from '${process.env.DIR ?? './generated'}/${p}/index.js'; globalThis.c = classifyResponse;`, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minifyWhitespace: true, minifySyntax: true, format: 'esm', platform: 'browser', write: false });
const s = r.outputFiles[0].text;
// split into top-level statements roughly by 'function NAME(' and 'var NAME='
const re = /(?:^|;|\})(?:async )?function (\w+)\(|(?:^|;)var (\w+)=/g;
let m, last = null, lastName = null; const sizes = [];
while ((m = re.exec(s))) { if (last !== null) sizes.push([lastName, m.index - last]); last = m.index; lastName = m[1] ?? m[2]; }
sizes.push([lastName, s.length - last]);
sizes.sort((a, b) => b[1] - a[1]);
console.log('total', s.length);
for (const [n, b] of sizes.slice(0, 45)) console.log(String(b).padStart(6), n);
