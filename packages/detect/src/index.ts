// Public API of @waggle/detect (filled in by its builder).
export {};
