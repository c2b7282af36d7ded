// @efficientdl/quantize: public API (named exports only).
export {};
