/** Parameter values given on the command line or in a parameter file, as `aws cloudformation` takes them. */

export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/**
 * What a parameter file's `UsePreviousValue: true` gives: the stack's current value, which only the
 * deployed stack knows. Judged as unknown (fail closed), never as the parameter's Default. A NUL
 * cannot be typed on a command line, so no value given there reads as this.
 */
export const PREVIOUS_VALUE = '\u0000UsePreviousValue';

/** A parameter's name, or a pseudo parameter a value may be given for. */
const NAME = /^([A-Za-z0-9]{1,255}|AWS::(Region|AccountId|Partition))$/;

/**
 * `Name=Value` (the value may itself contain `=`). A malformed one is named by `where` only: its text
 * may be a value (`DbPassword: ...`, a key's second line) and is never shown.
 */
export function parseParameterAssignment(text: string, where = 'a parameter'): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0 || !NAME.test(text.slice(0, eq))) {
    throw new ParameterError(`${where} is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)`);
  }
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a parameter file in any form the AWS CLI accepts: `[{"ParameterKey", "ParameterValue"}]`
 * (create-stack), `["Name=Value", ...]` or `{"Parameters": {...}}` (deploy's
 * --parameter-overrides), or plain `Name=Value` lines (one a line).
 */
export function parseParameterFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new ParameterError('parameter file is not valid JSON');
    }
    if (isRecord(doc) && isRecord(doc.Parameters)) {
      for (const [k, v] of Object.entries(doc.Parameters)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new ParameterError(`parameter file: value of '${k.slice(0, 64)}' must be a string`);
        }
        out.set(k, String(v));
      }
      return out;
    }
    if (!Array.isArray(doc)) throw new ParameterError('parameter file must be a list or an object with Parameters');
    doc.forEach((item: unknown, i) => {
      if (typeof item === 'string') {
        const [k, v] = parseParameterAssignment(item, `parameter file: entry ${i}`);
        out.set(k, v);
      } else if (isRecord(item) && typeof item.ParameterKey === 'string') {
        if (item.UsePreviousValue === true) {
          out.set(item.ParameterKey, PREVIOUS_VALUE);
          return;
        }
        const v = item.ParameterValue;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new ParameterError(`parameter file: entry ${i} has no string ParameterValue`);
        }
        out.set(item.ParameterKey, String(v));
      } else {
        throw new ParameterError(`parameter file: entry ${i} is neither Name=Value nor {ParameterKey, ParameterValue}`);
      }
    });
    return out;
  }
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [k, v] = parseParameterAssignment(line, `parameter file: line ${n + 1}`);
    out.set(k, v);
  }
  return out;
}
