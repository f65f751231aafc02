import { build } from 'esbuild';
const [p, name, len] = [process.argv[2], process.argv[3], +(process.argv[4] ?? 1500)];
const r = await build({ stdin: { contents: `import { classifyResponse } from '${process.env.DIR ?? './generated'}/${p}/index.js'; globalThis.c = classifyResponse;`, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minifyWhitespace: true, minifySyntax: true, format: 'esm', platform: 'browser', write: false });
const s = r.outputFiles[0].text;
const i = s.search(new RegExp(`function ${name}\\(|var ${name}=`));
console.log(s.slice(i, i + len));
