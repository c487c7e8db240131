// Types for bench/phi/generate.mjs (plain JS so the benchmark needs no build step).
import type { PhiType } from '../../src/phi/types.js'

export interface Span { type: PhiType; start: number; end: number }
export interface Label extends Span { file: string; line: number; column: number }
export interface AllowedSpan extends Span { file: string }
export interface InfraRecord { file: string; start: number; end: number; kind: string; allowed: Span[] }
export interface CorpusFile { file: string; kind: string; containsPhi: boolean; text: string; bytes: number }
export interface Corpus { generatorVersion: number; seed: number; mb: number; bytes: number; files: CorpusFile[]; labels: Label[]; records: InfraRecord[]; allowed: AllowedSpan[] }
export interface Manifest { generatorVersion: number; seed: number; mb: number; bytes: number; files: number; labels: number; infraRecords: number }

export declare const PHI_GENERATOR_VERSION: number
export declare const DEFAULT_SEED: number
export declare const MIN_INFRA_RECORDS: number
export declare const FILE_KINDS: string[]
export declare function lineStarts(text: string): number[]
export declare function lineCol(starts: number[], off: number): { line: number; column: number }
export declare function buildCorpus(options?: { mb?: number; seed?: number }): Corpus
export declare function writeCorpus(corpus: Corpus, outDir: string): Manifest
export declare function generateCorpus(options?: { outDir?: string; mb?: number; seed?: number }): { corpus: Corpus; manifest: Manifest; outDir: string }
