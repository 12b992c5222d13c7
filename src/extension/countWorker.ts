// Counts large documents off the extension host's main thread.
export {};
