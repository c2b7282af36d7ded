// How the channels of one coupling class map onto one of its members (DepGraph's index mapping).
// A class has a canonical channel index; each member sees it through a map:
//   identity          canonical j ↔ member j
//   window(o, n)      canonical j ↔ member j − o for j in [o, o + n) (Concat inputs, Split outputs)
//   expand(f)         canonical j ↔ member block [j·f, (j + 1)·f) (Flatten into Gemm, depthwise multiplier)
// `toMember` maps canonical indices to member indices; `toCanonical` maps back and returns
// undefined when member indices cover a block only partly (that coupling cannot be honoured).

export type IndexMap =
  | { readonly kind: 'identity' }
  | { readonly kind: 'window'; readonly offset: number; readonly length: number }
  | { readonly kind: 'expand'; readonly factor: number };

export const IDENTITY: IndexMap = { kind: 'identity' };

export function windowMap(offset: number, length: number): IndexMap {
  return { kind: 'window', offset, length };
}

export function expandMap(factor: number): IndexMap {
  return factor === 1 ? IDENTITY : { kind: 'expand', factor };
}

/** Canonical indices → member indices (sorted, unique). */
export function toMember(map: IndexMap, indices: readonly number[]): number[] {
  switch (map.kind) {
    case 'identity':
      return [...indices];
    case 'window':
      return indices.filter((index) => index >= map.offset && index < map.offset + map.length).map((index) => index - map.offset);
    case 'expand':
      return indices.flatMap((index) => Array.from({ length: map.factor }, (_, offset) => index * map.factor + offset));
  }
}

/** Member indices → canonical indices; undefined when an expand block is only partly covered. */
export function toCanonical(map: IndexMap, indices: readonly number[]): number[] | undefined {
  switch (map.kind) {
    case 'identity':
      return [...indices];
    case 'window':
      return indices.map((index) => index + map.offset);
    case 'expand': {
      const counts = new Map<number, number>();
      for (const index of indices) {
        const block = Math.floor(index / map.factor);
        counts.set(block, (counts.get(block) ?? 0) + 1);
      }
      const blocks = [...counts.entries()];
      if (blocks.some(([, count]) => count !== map.factor)) return undefined;
      return blocks.map(([block]) => block).sort((a, b) => a - b);
    }
  }
}

export function describeMap(map: IndexMap): string {
  switch (map.kind) {
    case 'identity':
      return '';
    case 'window':
      return ` [${map.offset}, ${map.offset + map.length})`;
    case 'expand':
      return ` ×${map.factor} block`;
  }
}
