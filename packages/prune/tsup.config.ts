// Build: the shared package settings (ESM + CJS + d.ts), see ../../tsup.package.ts.
import { packageConfig } from '../../tsup.package';

export default packageConfig();
