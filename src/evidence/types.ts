// One runtime observation from a memory tool's output, reduced to what can be matched against the diff.

export type EvidenceKind = 'tracemalloc' | 'objgraph' | 'pympler' | 'memlab';

export interface EvidenceEntry {
  kind: EvidenceKind;
  /** The line as the tool printed it, quoted in reasons. */
  quote: string;
  file?: string;
  line?: number;
  typeName?: string;
  /** Growth in the tool's unit (bytes for tracemalloc and pympler, objects for objgraph, retained bytes for memlab). */
  growth: number;
}
