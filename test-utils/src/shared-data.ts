// Locates the read-only shared data folder (../shared/data from the repo root, see its MANIFEST).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function repoRoot(): string {
  return repositoryRoot;
}

/** Absolute path of ../shared/data (override with EFFICIENTDL_SHARED_DATA). */
export function sharedDataDir(): string {
  return process.env.EFFICIENTDL_SHARED_DATA ?? resolve(repositoryRoot, '..', 'shared', 'data');
}

/** Path of a file below the shared data folder. */
export function sharedDataPath(...parts: string[]): string {
  return join(sharedDataDir(), ...parts);
}

/** Whether the shared data (or one file of it) is present, for tests that need it. */
export function hasSharedData(...parts: string[]): boolean {
  return existsSync(sharedDataPath(...parts));
}

/** Path of a committed fixture below test-utils/src/__fixtures__ (e.g. 'pytorch-models'). */
export function fixturePath(...parts: string[]): string {
  return join(repositoryRoot, 'test-utils', 'src', '__fixtures__', ...parts);
}
