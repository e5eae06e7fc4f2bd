/** The hook's type configuration as a file: the whole CloudFormationConfiguration document or its Properties. */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, parsePolicyConfig, type PolicyConfig } from '../policy';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `Properties` of a type configuration document, whichever form it is in. */
export function configProperties(doc: unknown): unknown {
  if (!isRecord(doc)) return doc;
  const outer = isRecord(doc.CloudFormationConfiguration) ? doc.CloudFormationConfiguration : doc;
  const hook = isRecord(outer.HookConfiguration) ? outer.HookConfiguration : undefined;
  if (hook) return hook.Properties ?? {};
  return outer;
}

export interface LoadedConfig {
  readonly config: PolicyConfig;
  /** The Properties, as the hook receives them in `hookModel`. */
  readonly hookModel: Record<string, unknown>;
}

/** Reads a configuration file's text (JSON or YAML). Throws ConfigError naming the property at fault. */
export function readConfigDocument(text: string): LoadedConfig {
  const lines = new LineCounter();
  // Not yaml's parse(): it prints its warnings (an unresolved !Sub) with the source line, values and all.
  const document = parseDocument(text, { lineCounter: lines });
  // Named by line only: yaml's messages quote the text.
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const what =
      problem.code === 'TAG_RESOLVE_FAILED' ? 'a tag (such as !Sub or !Ref), which a configuration cannot resolve,' : problem.code === 'DUPLICATE_KEY' ? 'a key given twice' : 'text that is not valid JSON or YAML';
    throw new ConfigError('(file)', `The configuration file has ${what} at line ${lines.linePos(problem.pos[0]).line}.`);
  }
  let doc: unknown;
  try {
    // yaml's own bound on alias expansion (maxAliasCount 100) refuses an alias bomb.
    doc = document.toJS();
  } catch {
    throw new ConfigError('(file)', 'The configuration file is not valid JSON or YAML.');
  }
  const properties = configProperties(doc);
  const config = parsePolicyConfig(properties);
  return { config, hookModel: isRecord(properties) ? properties : {} };
}
