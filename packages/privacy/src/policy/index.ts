// Re-exports of this area; filled in by its owner.
export {};
