// Shared ort.InferenceSessions keyed by a SHA-256 of the model bytes, so compiling the same graph
// twice reuses one session. Reference-counted: the session is released when its last user
// disposes it.
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { errorMessage, translateOrtError } from './ort-errors.js';

export function modelKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Entry {
  session: Promise<ort.InferenceSession>;
  users: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ort.InferenceSession.SessionOptions) {}

  /** Number of distinct live sessions. */
  get size(): number {
    return this.entries.size;
  }

  /** Gets (creating if needed) the session for `bytes`; pair every acquire with a release. */
  async acquire(bytes: Uint8Array, subject: string): Promise<{ key: string; session: ort.InferenceSession }> {
    const key = modelKey(bytes);
    let entry = this.entries.get(key);
    if (!entry) {
      const session = ort.InferenceSession.create(bytes, this.options).catch((error: unknown) => {
        this.entries.delete(key);
        throw translateOrtError({ stage: 'create', message: errorMessage(error), subject });
      });
      entry = { session, users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    try {
      return { key, session: await entry.session };
    } catch (error) {
      entry.users--;
      throw error;
    }
  }

  release(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.users--;
    if (entry.users > 0) return;
    this.entries.delete(key);
    void entry.session.then((session) => session.release()).catch(() => undefined);
  }
}
