// Training checkpoints: one folder per epoch (`epoch-0003/`) holding model.safetensors (the
// model's stateDict), optimizer.safetensors (optimizer state tensors; its JSON part and the
// scheduler state in the safetensors metadata) and trainer.json (epoch, step, lr, metrics).
// Every file is written atomically (temp file + rename) and `latest.json`, written last, is the
// commit point that resume reads, so a crash mid-save leaves the previous checkpoint in force.
import { ModelFormatError } from '@efficientdl/ir';
import { readSafetensors, writeSafetensors } from '@efficientdl/tensor';
import type { Module } from '../module.js';
import type { LRScheduler, SchedulerState } from '../optim/lr-scheduler.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';

export interface TrainerState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  lr: number;
  metrics: Record<string, number>;
}

export interface CheckpointParts {
  model: Module;
  optimizer?: Optimizer;
  scheduler?: LRScheduler;
}

const LATEST = 'latest.json';

async function writeFileAtomic(path: string, text: string): Promise<void> {
  const { writeFile, rename } = await import('node:fs/promises');
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

/** Writes the checkpoint of `state.epoch` and makes it the latest; returns its folder. */
export async function saveCheckpoint(directory: string, parts: CheckpointParts, state: TrainerState): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const folder = join(directory, checkpointName(state.epoch));
  await mkdir(folder, { recursive: true });
  await writeSafetensors(join(folder, 'model.safetensors'), parts.model.stateDict(), { format: 'efficientdl-model' });
  if (parts.optimizer) {
    const { tensors, ...rest } = parts.optimizer.stateDict();
    const metadata: Record<string, string> = { optimizer: JSON.stringify(rest) };
    if (parts.scheduler) metadata.scheduler = JSON.stringify(parts.scheduler.stateDict());
    await writeSafetensors(join(folder, 'optimizer.safetensors'), tensors, metadata);
  }
  await writeFileAtomic(join(folder, 'trainer.json'), `${JSON.stringify(state, null, 2)}\n`);
  await writeFileAtomic(join(directory, LATEST), `${JSON.stringify({ checkpoint: checkpointName(state.epoch) })}\n`);
  return folder;
}

async function readJson(path: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`checkpoint file '${path}' is not valid JSON: ${(error as Error).message}`, { file: path });
  }
}

/**
 * Restores model, optimizer and scheduler from the latest checkpoint in `directory`; returns its
 * trainer state, or undefined when the directory holds no checkpoint.
 */
export async function loadLatestCheckpoint(directory: string, parts: CheckpointParts): Promise<TrainerState | undefined> {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const latestPath = join(directory, LATEST);
  if (!existsSync(latestPath)) return undefined;
  const latest = (await readJson(latestPath)) as { checkpoint?: unknown };
  if (typeof latest.checkpoint !== 'string') {
    throw new ModelFormatError(`checkpoint file '${latestPath}' has no "checkpoint" field`, { file: latestPath });
  }
  const folder = join(directory, latest.checkpoint);
  const statePath = join(folder, 'trainer.json');
  const state = (await readJson(statePath)) as TrainerState;
  if (typeof state.epoch !== 'number' || typeof state.step !== 'number') {
    throw new ModelFormatError(`checkpoint file '${statePath}' lacks numeric "epoch"/"step"`, { file: statePath });
  }
  const model = await readSafetensors(join(folder, 'model.safetensors'));
  parts.model.loadStateDict(model.tensors);
  if (parts.optimizer) {
    const optimizerPath = join(folder, 'optimizer.safetensors');
    const contents = await readSafetensors(optimizerPath);
    const json = contents.metadata.optimizer;
    if (!json) throw new ModelFormatError(`checkpoint file '${optimizerPath}' has no optimizer metadata`, { file: optimizerPath });
    const rest = JSON.parse(json) as Omit<OptimizerStateDict, 'tensors'>;
    parts.optimizer.loadStateDict({ ...rest, tensors: contents.tensors });
    const schedulerJson = contents.metadata.scheduler;
    if (parts.scheduler && schedulerJson) parts.scheduler.loadStateDict(JSON.parse(schedulerJson) as SchedulerState);
  }
  return state;
}
