// Build: the shared package settings; the WebAssembly modules built by scripts/build-wasm.mjs
// into wasm/ are copied next to the bundles in dist/.
import { packageConfig } from '../../tsup.package';

export default packageConfig({ publicDir: 'wasm' });
