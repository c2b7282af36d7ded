// Detection of the tfjs backend: with tfjs-node missing (simulated by a loader that fails the
// way Node's import does) the backend reports 'wasm' and why; with wasm failing too, 'cpu'.
// Also the real environment: whatever is active, describe() explains skipped candidates.
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

function missingPackage(name: string): () => Promise<never> {
  return () => {
    const error = new Error(`Cannot find package '${name}' imported from /somewhere/detect.js`) as Error & { code: string };
    error.code = 'ERR_MODULE_NOT_FOUND';
    return Promise.reject(error);
  };
}

describe('tfjs backend detection', () => {
  it("falls back to wasm when tfjs-node is not installed and says so", async () => {
    const backend = await createTfjsBackend({ loaders: { node: missingPackage('@tensorflow/tfjs-node') } });
    expect(backend.activeTfjsBackend).toBe('wasm');
    expect(backend.describe()).toBe("tfjs wasm (tfjs-node not installed: Cannot find package '@tensorflow/tfjs-node' imported from /somewhere/detect.js)");
  });

  it('falls back to cpu when wasm fails as well, keeping both reasons', async () => {
    const backend = await createTfjsBackend({
      loaders: { node: missingPackage('@tensorflow/tfjs-node'), wasm: () => Promise.reject(new Error('wasm blocked')) },
    });
    expect(backend.activeTfjsBackend).toBe('cpu');
    expect(backend.notes).toEqual([
      "tfjs-node not installed: Cannot find package '@tensorflow/tfjs-node' imported from /somewhere/detect.js",
      'tfjs-backend-wasm failed to load: wasm blocked',
    ]);
  });

  it("honours prefer: 'cpu' without trying the others", async () => {
    const backend = await createTfjsBackend({ prefer: 'cpu', loaders: { node: () => Promise.reject(new Error('must not be called')) } });
    expect(backend.activeTfjsBackend).toBe('cpu');
    expect(backend.describe()).toBe('tfjs cpu');
  });

  it('reports the real environment: tensorflow, or a fallback that names the tfjs-node problem', async () => {
    const backend = await createTfjsBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend.activeTfjsBackend);
    if (backend.activeTfjsBackend !== 'tensorflow') expect(backend.describe()).toMatch(/^tfjs (wasm|cpu) \(tfjs-node (not installed|failed to load|loaded but unusable): /);
  });
});
