// Stale compiled files (a deleted migration, say) would still be loaded from dist/, so every build starts clean.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
