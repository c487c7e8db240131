// Types for bench/phi/evaluate.mjs.
export interface Counts { gold: number; found: number; pred: number; tp: number; fp: number; ignored: number }
export interface SpanLike { type?: string; start: number; end: number }
export declare const ALL_TYPES: string[]
export declare const STRUCTURED_TYPES: string[]
export declare const PRESIDIO_EXCLUDED: string[]
export declare function overlapIndex(spans: SpanLike[]): { starts: number[]; maxEnd: number[] }
export declare function anyOverlap(idx: { starts: number[]; maxEnd: number[] }, s: number, e: number): boolean
export declare function emptyCounts(): Counts
export declare function matchSpans(gold: SpanLike[], pred: SpanLike[], ignored?: SpanLike[], sink?: { missed: SpanLike[]; fps: SpanLike[] } | null): Record<string, Counts>
export declare function addCounts(a: Record<string, Counts>, b: Record<string, Counts>): Record<string, Counts>
export declare function sumCounts(byType: Record<string, Counts>, types?: string[]): Counts
export declare function prf(c: Counts): { precision: number; recall: number; f2: number }
export declare function flaggedRecords(records: { start: number; end: number; allowed?: SpanLike[] }[], pred: SpanLike[], options?: { strict?: boolean }): boolean[]
export declare function mapPresidio(entityType: string, value: string): { type?: string; ignore?: string }
export declare function codePointToUtf16(text: string): (i: number) => number
export declare function loadPresidio(json: unknown[]): { docs: { text: string; gold: SpanLike[]; ignored: SpanLike[] }[]; ignoreReasons: Record<string, number> }
export declare function findingSpan(lineStarts: number[], f: { type: string; line: number; column: number; length: number }): { type: string; start: number; end: number } | null
