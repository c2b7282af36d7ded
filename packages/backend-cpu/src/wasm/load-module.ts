// Finds and compiles the GEMM WebAssembly module built by scripts/build-wasm.mjs, synchronously
// (Node allows synchronous compilation of any size off the browser main thread). Prefers the
// relaxed-SIMD build (f32x4.relaxed_madd = one FMA: ~1.2-1.4× the plain build's GEMM speed) when
// the engine validates it. Node 20's V8 (11.3) has relaxed SIMD behind
// --experimental-wasm-relaxed-simd; the loader turns that flag on at run time through
// node:v8 setFlagsFromString (it only affects modules compiled afterwards) unless
// EFFICIENTDL_WASM_RELAXED=0 or configureWasmKernels({ relaxedSimd: false }). Falls back to plain
// SIMD. Looks next to the module for src/ (tests) and dist/ layouts.

import { type WasmApi, type WasmModule, webAssemblyApi } from './webassembly-api.js';

export interface LoadedModule {
  readonly module: WasmModule;
  readonly relaxedSimd: boolean;
  readonly path: string;
}

export type LoadResult = { readonly ok: true; readonly loaded: LoadedModule } | { readonly ok: false; readonly reason: string };

type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');
type NodeUrl = typeof import('node:url');

/** Node built-ins without a static import, so the package still bundles for browsers. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const processObject = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return processObject?.getBuiltinModule?.(id) as T | undefined;
}

function moduleDirectory(path: NodePath, url: NodeUrl): string | undefined {
  if (typeof __dirname === 'string') return __dirname;
  try {
    return path.dirname(url.fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

/** src/wasm/ → <package>/wasm; dist/ (bundled) → dist/ (tsup publicDir copy) or <package>/wasm. */
function candidateDirectories(path: NodePath, directory: string): string[] {
  return [
    path.join(directory, '../../wasm'),
    directory,
    path.join(directory, '../wasm'),
    path.join(directory, '../../dist'),
  ];
}

/** Whether `bytes` (the relaxed build) validates, after enabling V8's flag on Node if needed. */
function relaxedSimdValidates(wasm: WasmApi, bytes: Uint8Array): boolean {
  if (wasm.validate(bytes)) return true;
  const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>('node:v8');
  if (!v8) return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return wasm.validate(bytes);
}

/** Compiles the relaxed-SIMD build when `preferRelaxed` and the engine allows it, else plain SIMD. */
export function loadGemmModule(options: { preferRelaxed?: boolean } = {}): LoadResult {
  const preferRelaxed = options.preferRelaxed ?? true;
  const wasm = webAssemblyApi();
  if (!wasm) return { ok: false, reason: 'no WebAssembly in this engine' };
  const fs = nodeBuiltin<NodeFs>('node:fs');
  const path = nodeBuiltin<NodePath>('node:path');
  const url = nodeBuiltin<NodeUrl>('node:url');
  if (!fs || !path || !url) return { ok: false, reason: 'node:fs is not available (needs Node ≥ 20.16)' };
  const directory = moduleDirectory(path, url);
  if (!directory) return { ok: false, reason: 'cannot locate the package directory' };
  for (const candidate of candidateDirectories(path, directory)) {
    const plainPath = path.join(candidate, 'gemm-simd.wasm');
    if (!fs.existsSync(plainPath)) continue;
    const relaxedPath = path.join(candidate, 'gemm-relaxed-simd.wasm');
    if (preferRelaxed && fs.existsSync(relaxedPath)) {
      const relaxedBytes = fs.readFileSync(relaxedPath);
      if (relaxedSimdValidates(wasm, relaxedBytes)) {
        return { ok: true, loaded: { module: new wasm.Module(relaxedBytes), relaxedSimd: true, path: relaxedPath } };
      }
    }
    const plainBytes = fs.readFileSync(plainPath);
    if (!wasm.validate(plainBytes)) return { ok: false, reason: `${plainPath} does not validate (no WebAssembly SIMD?)` };
    return { ok: true, loaded: { module: new wasm.Module(plainBytes), relaxedSimd: false, path: plainPath } };
  }
  return { ok: false, reason: `gemm-simd.wasm not found near ${directory} (run the package build)` };
}
