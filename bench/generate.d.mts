// Types for bench/generate.mjs (plain JS so `npm run bench` needs no build step).

/** A CloudFormation-shaped document: plain JSON values with long-form intrinsics. */
export type Doc = Record<string, unknown>

/** Bump when the generated content changes. */
export declare const GENERATOR_VERSION: number
/** Single-template sizes by label. */
export declare const SINGLE_SIZES: Record<string, number>
/** Number of files in the generated directory. */
export declare const DIR_FILES: number
/** Seeded PRNG (mulberry32). */
export declare function rng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(arr: T[]): T; chance(p: number): boolean }
/** A plain CloudFormation template with exactly `n` resources. */
export declare function cfnTemplate(seed: number, n: number, description?: string): Doc
/** A SAM template with `n` declared resources. */
export declare function samTemplate(seed: number, n: number, domainIndex: number): Doc
/** A serverless.yml document with `n` declared resources (functions + resources.Resources). */
export declare function serverlessService(seed: number, n: number, domainIndex: number): Doc
/** Write every benchmark input under `outDir`; returns the manifest. */
export declare function generateAll(outDir: string): {
  generatorVersion: number
  seed: number
  single: Record<string, { resources: number; yaml: string; json: string; yamlBytes: number; jsonBytes: number }>
  dir: { root: string; twins: string; files: { rel: string; kind: string; resources: number; bytes: number }[]; byKind: Record<string, number>; resources: number; bytes: number }
}
