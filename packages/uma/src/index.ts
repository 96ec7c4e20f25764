// Public API of @waggle/uma (filled in by its builder).
export {};
