// K-means weight sharing (Deep Compression): clustering, graph rewrite with trainable codebooks,
// packed storage (bit-packed indices, sparse positions, Huffman) and size reports.
export { type KmeansConfig, type KmeansContext, type KmeansResult, applyKmeans, clusterGraph } from './apply-kmeans.js';
export { type ClusterOptions, type ClusterResult, clusterValues, linearCentroids, nearestCentroid } from './cluster-values.js';
export { type KmeansLayer, type ClusterWeightOptions, clusterWeight, decodeKmeansLayer } from './kmeans-layer.js';
export { bakeKmeans, kmeansGraph, kmeansNames, withCodebooks } from './kmeans-graph.js';
export {
  type PackKmeansOptions,
  type PackedKmeansLayer,
  type PackedPositions,
  type PackedStream,
  packKmeansLayer,
  packedKmeansBytes,
  streamBytes,
  unpackKmeansLayer,
} from './kmeans-storage.js';
export { type KmeansSizeReport, type KmeansSizeRow, formatKmeansSizeTable, kmeansSizeReport } from './kmeans-size-report.js';
export { packBits, packedByteLength, unpackBits } from './bit-packing.js';
export { decodeBitmap, decodeRelativeIndices, encodeBitmap, encodeRelativeIndices, relativeIndexCodes, unpackRelativeIndices } from './sparse-positions.js';
export { type HuffmanEncoded, canonicalCodes, huffmanCodeLengths, huffmanDecode, huffmanEncode, huffmanStoredBytes } from './huffman.js';
export { type LayerWeight, findLayerWeights, selectLayerWeights } from './layer-weights.js';
