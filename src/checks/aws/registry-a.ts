// One line per check (merged into registry.ts when this batch lands).
export {}
