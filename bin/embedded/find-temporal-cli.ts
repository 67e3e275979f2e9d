import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../../core/errors.js';

export interface TemporalCliLocation {
  path: string;
  /** Where it was found, for the start-up log and `junction doctor`. */
  via: 'TEMPORAL_CLI' | 'PATH' | 'go bin';
}

/** The three ways an operator can give us the CLI, named in every "not found" message. */
export const TEMPORAL_CLI_HELP =
  'set TEMPORAL_CLI to the temporal binary, put `temporal` on PATH, or run `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` (lands in $(go env GOPATH)/bin)';

/** Looks for the `temporal` CLI: TEMPORAL_CLI, then PATH, then Go's bin folder. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): TemporalCliLocation | undefined {
  const explicit = env.TEMPORAL_CLI?.trim();
  if (explicit) {
    // An explicit setting that is wrong is a mistake to report, not a reason to look elsewhere.
    if (!isExecutable(explicit))
      throw new ConfigError('TEMPORAL_CLI', `${explicit} is not an executable file`);
    return { path: explicit, via: 'TEMPORAL_CLI' };
  }

  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'temporal');
    if (isExecutable(candidate)) return { path: candidate, via: 'PATH' };
  }

  for (const dir of goBinDirs(env)) {
    const candidate = join(dir, 'temporal');
    if (isExecutable(candidate)) return { path: candidate, via: 'go bin' };
  }
  return undefined;
}

function goBinDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.GOBIN) dirs.push(env.GOBIN);
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 5_000 }).trim();
    for (const part of gopath.split(delimiter)) if (part) dirs.push(join(part, 'bin'));
  } catch {
    // No Go toolchain: fall back to Go's default GOPATH.
  }
  dirs.push(join(env.HOME ?? homedir(), 'go', 'bin'));
  return [...new Set(dirs)];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
