// Public API of @waggle/flows (filled in by its builder).
export {};
