// @efficientdl/prune: public API (named exports only).
export {};
