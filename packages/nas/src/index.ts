// @efficientdl/nas: public API (named exports only).
export {};
