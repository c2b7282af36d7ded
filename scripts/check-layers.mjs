#!/usr/bin/env node
// Checks that imports only point down the layers of DESIGN §1, and that every @efficientdl/*
// import of a package's source is declared in its package.json. Test files may also import
// test-utils. Exits 1 with one line per violation.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

// Layer rank: a package may import packages of a strictly lower rank (plus listed exceptions).
// onnx (the serializer, ir-only) sits just above ir so that backend-onnxruntime, which compiles
// a Graph to ONNX bytes, can use it: the one departure from "backends depend on ir only".
const LAYERS = {
  '@efficientdl/ir': 0,
  '@efficientdl/onnx': 1,
  '@efficientdl/backend-cpu': 2,
  '@efficientdl/backend-tfjs': 2,
  '@efficientdl/backend-onnxruntime': 2,
  '@efficientdl/tensor': 3,
  '@efficientdl/nn': 4,
  '@efficientdl/transformer': 5,
  '@efficientdl/diffusion': 5,
  '@efficientdl/pointcloud': 5,
  '@efficientdl/prune': 6,
  '@efficientdl/quantize': 6,
  '@efficientdl/distill': 6,
  '@efficientdl/nas': 6,
  '@efficientdl/cli': 7,
};
const BACKENDS = new Set(['@efficientdl/backend-cpu', '@efficientdl/backend-tfjs', '@efficientdl/backend-onnxruntime']);
// Backends depend on ir only; tensor may import backend-cpu (its default engine backend).
// The CLI is the composition root that picks a backend by flag, so it may import all of them.
const ALLOWED_BACKEND_IMPORTERS = {
  '@efficientdl/backend-cpu': new Set(['@efficientdl/tensor', '@efficientdl/cli']),
  '@efficientdl/backend-tfjs': new Set(['@efficientdl/cli']),
  '@efficientdl/backend-onnxruntime': new Set(['@efficientdl/cli']),
};

function workspacePackages() {
  const folders = [];
  for (const parent of ['packages', 'apps']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) folders.push(join(dir, name));
  }
  return folders.filter((folder) => existsSync(join(folder, 'package.json')));
}

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry)) files.push(path);
  }
  return files;
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"](@efficientdl\/[a-z0-9-]+)|import\(\s*['"](@efficientdl\/[a-z0-9-]+)/g;
const violations = [];

for (const folder of workspacePackages()) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const name = manifest.name;
  const isApp = folder.includes(`${join(root, 'apps')}`);
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ]);
  const srcDir = join(folder, 'src');
  if (!existsSync(srcDir)) continue;
  for (const file of sourceFiles(srcDir)) {
    const isTest = /\.test\.tsx?$/.test(file) || file.includes('/__fixtures__/');
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const target = match[1] ?? match[2];
      if (target === name) continue;
      const where = relative(root, file);
      if (isTest && target === '@efficientdl/test-utils') continue;
      if (!isTest && !declared.has(target)) violations.push(`${where}: imports ${target}, not declared in ${name}'s package.json`);
      if (isApp) {
        if (BACKENDS.has(target) && !isTest) violations.push(`${where}: apps compose packages; import the engine from @efficientdl/tensor, not ${target}`);
        continue;
      }
      const own = LAYERS[name];
      const other = LAYERS[target];
      if (own === undefined) { violations.push(`${where}: package ${name} has no layer in scripts/check-layers.mjs`); continue; }
      if (other === undefined) { violations.push(`${where}: ${target} has no layer in scripts/check-layers.mjs`); continue; }
      if (isTest) continue;
      if (BACKENDS.has(target) && !(ALLOWED_BACKEND_IMPORTERS[target]?.has(name))) {
        violations.push(`${where}: ${name} imports backend ${target}; feature packages go through the engine in @efficientdl/tensor`);
      } else if (other >= own) {
        violations.push(`${where}: ${name} (layer ${own}) imports ${target} (layer ${other}); imports must point down (DESIGN §1)`);
      }
    }
  }
}

if (violations.length > 0) {
  for (const line of violations) console.error(line);
  console.error(`layer check: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log('layer check: imports point down the layers of DESIGN §1');
