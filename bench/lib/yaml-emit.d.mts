// Types for bench/lib/yaml-emit.mjs.

/** Serialise a document (a map) to block-style YAML with short-form CloudFormation intrinsics. */
export declare function toYaml(doc: Record<string, unknown>, headerComment?: string): string
