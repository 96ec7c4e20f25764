// Public API of @waggle/keyauthority (filled in by its builder).
export {};
