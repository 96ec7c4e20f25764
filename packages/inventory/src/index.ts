// Public API of @waggle/inventory.
export {};
