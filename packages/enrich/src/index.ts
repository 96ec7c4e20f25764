// Public API of @waggle/enrich (filled in by its builder).
export {};
