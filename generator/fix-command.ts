/**
 * The command that brings a stale output folder up to date, as `generate --check` names it: the
 * project's own npm script when one runs `errspec generate` (what its README tells people to
 * run), otherwise errspec itself with the same arguments, less `--check`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function fixCommand(argv: readonly string[], cwd: string): string {
  const args = argv.filter((arg) => arg !== '--check');
  const script = generateScript(cwd, args.slice(1));
  return script === null ? ['npx', 'errspec', ...args.map(quote)].join(' ') : `npm run ${script}`;
}

/**
 * The name of a package.json script that runs `errspec generate` with exactly `flags` (and no
 * --check), or null. `node bin/errspec.js` counts as errspec, for errspec's own repository.
 */
function generateScript(cwd: string, flags: readonly string[]): string | null {
  const manifest = join(cwd, 'package.json');
  if (!existsSync(manifest)) return null;
  let scripts: Record<string, unknown>;
  try {
    scripts = ((JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {}) as Record<string, unknown>;
  } catch {
    return null;
  }
  const wanted = ['generate', ...flags].join(' ');
  for (const [name, command] of Object.entries(scripts)) {
    if (typeof command !== 'string') continue;
    const match = /(?:^|[\s;&|])(?:npx\s+)?(?:errspec|node\s+\S*bin[\\/]errspec\.js)\s+(.*)$/.exec(command.trim());
    const rest = match?.[1]?.trim().replace(/\s+/g, ' ');
    if (rest === wanted) return name;
  }
  return null;
}

/** As the shell that would run it reads it: cmd and PowerShell take double quotes, POSIX shells single. */
function quote(arg: string): string {
  if (/^[\w./\\@:=-]+$/.test(arg)) return arg;
  return process.platform === 'win32' ? `"${arg.replace(/"/g, '\\"')}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}
