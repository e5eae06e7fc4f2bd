// Parameter values as the AWS CLI takes them: Name=Value on the command line, and every parameter file form.
import { ParameterError, parseParameterAssignment, parseParameterFile } from '../../src/template';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ParameterError) {
      expect(error.name).toBe('ParameterError');
      return error.message;
    }
    throw error;
  }
  throw new Error('not refused');
}

const entries = (m: Map<string, string>) => [...m];

describe('parseParameterAssignment', () => {
  it.each([
    ['Env=prod', ['Env', 'prod']],
    ['Env=a=b', ['Env', 'a=b']],
    ['Env=', ['Env', '']],
    ['Env= spaced ', ['Env', ' spaced ']],
    ['AWS::Region=eu-west-1', ['AWS::Region', 'eu-west-1']],
    ['AWS::AccountId=123456789012', ['AWS::AccountId', '123456789012']],
    ['AWS::Partition=aws-cn', ['AWS::Partition', 'aws-cn']],
    [`${'N'.repeat(255)}=1`, ['N'.repeat(255), '1']],
  ])('reads %s', (text, pair) => {
    expect(parseParameterAssignment(text)).toEqual(pair);
  });

  const wanted = 'parameter must be Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition), got';
  it.each([
    ['Env', `${wanted} 'Env'`],
    ['=prod', `${wanted} ''`],
    ['my-param=x', `${wanted} 'my?param'`],
    ['Env Name=x', `${wanted} 'Env?Name'`],
    ['AWS::StackName=x', `${wanted} 'AWS??StackName'`],
    ['AWS::RegionX=x', `${wanted} 'AWS??RegionX'`],
    ['xAWS::Region=x', `${wanted} 'xAWS??Region'`],
    [`${'N'.repeat(256)}=1`, `${wanted} '${'N'.repeat(64)}'`],
    [`Pa$$word:${'s'.repeat(100)}`, `${wanted} 'Pa??word?${'s'.repeat(55)}'`],
  ])('refuses %s, naming at most 64 characters of it, word characters only', (text, message) => {
    expect(refusal(() => parseParameterAssignment(text))).toBe(message);
  });
});

describe('parseParameterFile', () => {
  it("reads create-stack's list of ParameterKey/ParameterValue, scalars as text, skipping UsePreviousValue", () => {
    const text = JSON.stringify([
      { ParameterKey: 'Env', ParameterValue: 'prod' },
      { ParameterKey: 'Count', ParameterValue: 3 },
      { ParameterKey: 'Debug', ParameterValue: false },
      { ParameterKey: 'Kept', UsePreviousValue: true },
      { ParameterKey: 'Given', ParameterValue: 'x', UsePreviousValue: false },
    ]);
    expect(entries(parseParameterFile(`\n  ${text}\n`))).toEqual([
      ['Env', 'prod'],
      ['Count', '3'],
      ['Debug', 'false'],
      ['Given', 'x'],
    ]);
  });

  it("reads deploy's list of Name=Value and its object of Parameters", () => {
    expect(entries(parseParameterFile('["Env=prod", "Url=https://x?a=b"]'))).toEqual([
      ['Env', 'prod'],
      ['Url', 'https://x?a=b'],
    ]);
    expect(entries(parseParameterFile('{"Parameters": {"Env": "prod", "Count": 2, "Debug": true}}'))).toEqual([
      ['Env', 'prod'],
      ['Count', '2'],
      ['Debug', 'true'],
    ]);
  });

  it('reads Name=Value lines, LF or CRLF, skipping blank lines and comments; a later value wins', () => {
    expect(entries(parseParameterFile('# values\r\nEnv=dev\r\n\r\n  Tier=web  \n   # indented comment\nEnv=prod\n'))).toEqual([
      ['Env', 'prod'],
      ['Tier', 'web'],
    ]);
    expect(entries(parseParameterFile(''))).toEqual([]);
    expect(entries(parseParameterFile('[]'))).toEqual([]);
    expect(entries(parseParameterFile('{"Parameters": {}}'))).toEqual([]);
  });

  it.each([
    ['[{"ParameterKey": "Env"', 'parameter file is not valid JSON'],
    ['{"Parameters": ', 'parameter file is not valid JSON'],
    ['{"Env": "prod"}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": ["Env=prod"]}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": null}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": {"Env": ["prod"]}}', "parameter file: value of 'Env' must be a string"],
    ['{"Parameters": {"Env": null}}', "parameter file: value of 'Env' must be a string"],
    [`{"Parameters": {"${'K'.repeat(70)}": {}}}`, `parameter file: value of '${'K'.repeat(64)}' must be a string`],
    ['[{"ParameterKey": "Env"}]', 'parameter file: entry 0 has no string ParameterValue'],
    ['["A=1", {"ParameterKey": "Env", "ParameterValue": {"a": 1}}]', 'parameter file: entry 1 has no string ParameterValue'],
    ['[{"ParameterKey": "Env", "ParameterValue": null, "UsePreviousValue": "true"}]', 'parameter file: entry 0 has no string ParameterValue'],
    ['["A=1", 3]', 'parameter file: entry 1 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[{"ParameterKey": 1, "ParameterValue": "x"}]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[["Env=prod"]]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[null]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['["Env"]', "parameter must be Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition), got 'Env'"],
    ['Env=prod\nnot a pair\n', "parameter must be Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition), got 'not?a?pair'"],
  ])('refuses %s', (text, message) => {
    expect(refusal(() => parseParameterFile(text))).toBe(message);
  });
});
