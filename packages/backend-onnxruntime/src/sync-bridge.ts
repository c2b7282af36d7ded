// The synchronous bridge to onnxruntime-node's async API: a worker thread owns the sessions; the
// calling thread posts a request, blocks in Atomics.wait on a SharedArrayBuffer until the worker
// signals, then takes the reply with receiveMessageOnPort. Node allows Atomics.wait on its main
// thread (browsers do not: there, use compile()).
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { ConfigError, type DType } from '@efficientdl/ir';
import type { InferenceSession } from 'onnxruntime-node';
import { WORKER_SOURCE } from './worker-source.js';

export interface WirePayload {
  dtype: DType;
  shape: readonly number[];
  data: ArrayBufferView;
}

export interface BridgeRequest {
  key: string;
  model: Uint8Array;
  feeds: Record<string, WirePayload>;
  outputNames: readonly string[];
}

export type BridgeReply =
  | { id: number; ok: true; outputs: Record<string, WirePayload> }
  | { id: number; ok: false; stage: 'create' | 'run'; message: string };

export interface SyncBridgeOptions {
  sessionOptions: InferenceSession.SessionOptions;
  /** Sessions kept in the worker (least recently used evicted). */
  capacity?: number;
  /** Longest wait for one request, in milliseconds (default 120 s). */
  timeoutMs?: number;
}

export class SyncBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state: Int32Array;
  private readonly timeoutMs: number;
  private nextId = 0;
  private closed = false;

  constructor(options: SyncBridgeOptions) {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, signal, ortPath, sessionOptions: options.sessionOptions, capacity: options.capacity ?? 256 },
      transferList: [port2],
    });
    // Neither the worker nor its port keeps the process alive.
    this.worker.unref();
    port1.unref();
    this.port = port1;
    this.state = new Int32Array(signal);
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Sends one request and blocks until the worker answers. */
  call(request: BridgeRequest): BridgeReply {
    if (this.closed) throw new ConfigError("the onnxruntime backend's worker was closed");
    const id = this.nextId++;
    return this.exchange({ ...request, id }, id);
  }

  /** Releases the worker's sessions and stops it. */
  close(): void {
    if (this.closed) return;
    this.exchange({ type: 'close', id: this.nextId }, this.nextId);
    this.closed = true;
    void this.worker.terminate();
  }

  private exchange(message: object, id: number): BridgeReply {
    Atomics.store(this.state, 0, 0);
    this.port.postMessage(message);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ConfigError(`the onnxruntime worker did not answer request ${id} within ${this.timeoutMs} ms`, { request: id });
      }
      Atomics.wait(this.state, 0, 0, Math.min(remaining, 50));
      const received = receiveMessageOnPort(this.port);
      if (received && (received.message as BridgeReply).id === id) return received.message as BridgeReply;
    }
  }
}
