// Lets a child process run our TypeScript sources the way Jest does (swc, with the decorator metadata TypeORM
// needs): the SIGKILL test runs a real worker as its own process. Usage: node --import ./sync-ts-loader.mjs x.ts
import { register } from 'node:module';

register('./sync-ts-hooks.mjs', import.meta.url);
