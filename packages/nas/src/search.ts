// Architecture search under constraints: evolutionary search (once-for-all's: keep the best
// parents, refill the population with mutations and crossovers, resampling until a child meets
// the constraints) and random search as the baseline with the same number of accuracy
// evaluations. Candidates that break a constraint are never evaluated.
import { ConfigError } from '@efficientdl/ir';
import { Generator } from '@efficientdl/tensor';
import { type Constraints, checkFeasible, constraintViolations, satisfies } from './constraints.js';
import { type SearchSpace, type SubnetConfig, subnetKey } from './search-space.js';
import type { SubnetFigures } from './subnet-graph.js';
import { crossoverSubnets, mutateSubnet, sampleSubnet } from './subnet-sampling.js';

export interface SearchProblem {
  space: SearchSpace;
  constraints: Constraints;
  /** Costs of a config (cached by the caller, e.g. SubnetCostModel.figures). */
  figures: (config: SubnetConfig) => SubnetFigures;
  /** Accuracy estimates of several configs (e.g. AccuracyPredictor.predictMany). */
  accuracy: (configs: readonly SubnetConfig[]) => number[];
}

export interface Candidate {
  config: SubnetConfig;
  key: string;
  accuracy: number;
  figures: SubnetFigures;
}

export interface SearchResult {
  best: Candidate;
  /** Every evaluated candidate, in evaluation order. */
  evaluated: Candidate[];
  evaluations: number;
  /** Best accuracy after each generation (random search: after each batch of `population`). */
  bestByRound: number[];
}

export interface EvolutionOptions {
  population?: number;
  generations?: number;
  /** Share of the population kept as parents (default 0.25). */
  parentRatio?: number;
  /** Share of the children made by mutation; the rest by crossover (default 0.5). */
  mutationRatio?: number;
  /** Per-gene mutation probability (default 0.1). */
  mutationProbability?: number;
  seed?: number;
  /** Attempts to draw a feasible candidate before giving up (default 2000). */
  maxTries?: number;
  onRound?: (round: number, best: Candidate) => void;
}

function drawFeasible(problem: SearchProblem, draw: () => SubnetConfig, maxTries: number): { config: SubnetConfig; figures: SubnetFigures } {
  let lastBroken: string[] = [];
  for (let attempt = 0; attempt < maxTries; attempt++) {
    const config = draw();
    const figures = problem.figures(config);
    if (satisfies(figures, problem.constraints)) return { config, figures };
    lastBroken = constraintViolations(figures, problem.constraints);
  }
  throw new ConfigError(`search: no candidate meeting the constraints in ${maxTries} draws (last one: ${lastBroken.join(', ')}); relax the constraints`, {
    constraints: { ...problem.constraints },
  });
}

function evaluate(problem: SearchProblem, drawn: readonly { config: SubnetConfig; figures: SubnetFigures }[]): Candidate[] {
  const accuracies = problem.accuracy(drawn.map((entry) => entry.config));
  return drawn.map((entry, index) => ({ config: entry.config, key: subnetKey(entry.config), figures: entry.figures, accuracy: accuracies[index] as number }));
}

const byAccuracy = (a: Candidate, b: Candidate) => b.accuracy - a.accuracy;

/** Evaluations an evolutionary search with these options makes (population + generations × children). */
export function evolutionEvaluations(options: EvolutionOptions): number {
  const population = options.population ?? 32;
  const parents = Math.max(1, Math.round(population * (options.parentRatio ?? 0.25)));
  return population + (options.generations ?? 10) * (population - parents);
}

export function evolutionarySearch(problem: SearchProblem, options: EvolutionOptions = {}): SearchResult {
  checkFeasible(problem);
  const size = options.population ?? 32;
  const parentCount = Math.max(1, Math.round(size * (options.parentRatio ?? 0.25)));
  const mutationCount = Math.round((size - parentCount) * (options.mutationRatio ?? 0.5));
  const probability = options.mutationProbability ?? 0.1;
  const maxTries = options.maxTries ?? 2000;
  const rng = new Generator(options.seed ?? 0);
  const pick = (parents: readonly Candidate[]) => (parents[rng.randomInt(parents.length)] as Candidate).config;
  const initial = Array.from({ length: size }, () => drawFeasible(problem, () => sampleSubnet(problem.space, rng), maxTries));
  let population = evaluate(problem, initial).sort(byAccuracy);
  const evaluated = [...population];
  const bestByRound = [(population[0] as Candidate).accuracy];
  for (let generation = 0; generation < (options.generations ?? 10); generation++) {
    const parents = population.slice(0, parentCount);
    const children = [
      ...Array.from({ length: mutationCount }, () => drawFeasible(problem, () => mutateSubnet(problem.space, pick(parents), rng, probability), maxTries)),
      ...Array.from({ length: size - parentCount - mutationCount }, () =>
        drawFeasible(problem, () => crossoverSubnets(pick(parents), pick(parents), rng), maxTries),
      ),
    ];
    const scored = evaluate(problem, children);
    evaluated.push(...scored);
    population = [...parents, ...scored].sort(byAccuracy);
    bestByRound.push((population[0] as Candidate).accuracy);
    options.onRound?.(generation + 1, population[0] as Candidate);
  }
  return { best: population[0] as Candidate, evaluated, evaluations: evaluated.length, bestByRound };
}

export interface RandomSearchOptions {
  evaluations: number;
  seed?: number;
  maxTries?: number;
  /** Candidates per accuracy call (and per bestByRound entry; default 32). */
  batch?: number;
}

/** The baseline: `evaluations` independent feasible random subnets; the best one wins. */
export function randomSearch(problem: SearchProblem, options: RandomSearchOptions): SearchResult {
  checkFeasible(problem);
  const rng = new Generator(options.seed ?? 0);
  const batch = options.batch ?? 32;
  const evaluated: Candidate[] = [];
  const bestByRound: number[] = [];
  let best: Candidate | undefined;
  while (evaluated.length < options.evaluations) {
    const count = Math.min(batch, options.evaluations - evaluated.length);
    const drawn = Array.from({ length: count }, () => drawFeasible(problem, () => sampleSubnet(problem.space, rng), options.maxTries ?? 2000));
    for (const candidate of evaluate(problem, drawn)) {
      evaluated.push(candidate);
      if (!best || candidate.accuracy > best.accuracy) best = candidate;
    }
    bestByRound.push((best as Candidate).accuracy);
  }
  if (!best) throw new ConfigError('randomSearch: evaluations must be at least 1');
  return { best, evaluated, evaluations: evaluated.length, bestByRound };
}
