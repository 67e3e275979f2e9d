import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's static files are. They are plain ES modules with no build step, so they stay in the source
 * tree: beside this file when run from source, and found from `dist/gateway/console` by going back to the project.
 */
export function consoleAssetsDir(): string {
  const beside = fileURLToPath(new URL('./assets/', import.meta.url));
  if (existsSync(beside)) return beside;
  const fromDist = fileURLToPath(new URL('../../../gateway/console/assets/', import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  throw new Error(`console assets not found next to ${fileURLToPath(import.meta.url)}`);
}
