/**
 * Bounds on what the template reader accepts. CloudFormation itself takes templates of at most
 * 1 MB (from S3), so these leave room for any deployable template while keeping hostile input
 * (alias bombs, absurd nesting, huge files) cheap to refuse.
 */
export const LIMITS = {
  /** Bytes per file: 5 MiB. */
  maxBytes: 5 * 1024 * 1024,
  /** Nesting of mappings and sequences, aliases expanded. */
  maxDepth: 100,
  /** Nodes after alias expansion; a YAML alias bomb passes this long before it hurts. */
  maxNodes: 1_000_000,
  /** Alias uses per document. */
  maxAliases: 10_000,
  /** Distinct Fn::If conditions judged in every combination per task definition (2^8 combinations). */
  maxConditions: 8,
} as const;

/** Flow brackets deeper than this are refused before the YAML parser sees them (it slows down long before). */
export const MAX_RAW_BRACKET_DEPTH = 10_000;
