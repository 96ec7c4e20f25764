// Public API of @waggle/ids (filled in by its builder).
export {};
