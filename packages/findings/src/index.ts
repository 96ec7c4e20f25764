// Public API of @waggle/findings (filled in by its builder).
export {};
