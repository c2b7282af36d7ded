// Build: the shared package settings, plus shims so the CJS build has import.meta.url (the
// worker source is located relative to the module).
import { packageConfig } from '../../tsup.package';

export default packageConfig({ shims: true });
