// Public API of @waggle/honeypot.
export {};
