/**
 * errspec as users get it: packed, installed into an empty project (its own dependencies only,
 * from npm's cache where it can), and run there; and what a browser bundle of one provider's
 * classifier weighs (esbuild, minified, gzipped).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserBundle } from '../browser-bundle.js';
import { median, wall } from './measure.js';

export interface InstallFigures {
  /** The tarball npm would publish, and what it unpacks to. */
  readonly tarballKiB: number;
  readonly unpackedKiB: number;
  /** node_modules of a project with only errspec installed. */
  readonly installedMiB: number;
  /** Cold `errspec generate` of the shipped spec by the installed command, and an empty node process. */
  readonly generateMs: number;
  readonly nodeMs: number;
}

function duBytes(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

export function installFigures(root: string, runs: number): InstallFigures {
  const work = join(tmpdir(), `errspec-bench-install-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const app = join(work, 'app');
  mkdirSync(app, { recursive: true });
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString()) as {
      filename: string;
      size: number;
      unpackedSize: number;
    }[];
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '-D', join(work, packed!.filename)], { cwd: app, stdio: 'pipe' });
    const installedMiB = duBytes(join(app, 'node_modules')) / 1024 / 1024;
    const bin = join(app, 'node_modules', '.bin', 'errspec');
    // As a project's every run after its first: recheck's verdicts are in its node_modules/.cache.
    wall(bin, ['validate', '--spec', join(root, 'spec')], app);
    const generate: number[] = [];
    const node: number[] = [];
    for (let r = 0; r < runs; r++) {
      node.push(wall(process.execPath, ['-e', ''], app));
      generate.push(wall(bin, ['generate', '--spec', join(root, 'spec'), '--out', join(work, `out-${r}`)], app));
    }
    return {
      tarballKiB: packed!.size / 1024,
      unpackedKiB: packed!.unpackedSize / 1024,
      installedMiB,
      generateMs: median(generate),
      nodeMs: median(node),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** KiB, minified and gzipped, of a browser bundle that imports only `classifyResponse` from `entry`. */
export async function classifierBundleKiB(entry: string): Promise<{ gzipKiB: number; nodeImports: number }> {
  const { text, nodeImports } = await browserBundle(`import { classifyResponse } from ${JSON.stringify(entry)};\nconsole.log(classifyResponse({ status: 500 }));`, '/');
  return { gzipKiB: gzipSync(text).length / 1024, nodeImports: nodeImports.length };
}
