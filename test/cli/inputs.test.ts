import * as fs from 'fs';
import * as path from 'path';
import { readInputs } from '../../lib/cli/inputs';
import { InputError, isTemplate, parseDocument, parseTemplate } from '../../lib/template/parse';

/** A fresh folder under this run's temp dir (.jest-tmp/run-<pid>, removed after the run by test/jest-global-teardown.js). */
function tempDir(name: string): string {
  const root = process.env.TMPDIR ?? path.join(__dirname, '..', '..', '.jest-tmp');
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, `inputs-${name}-`));
}

/** Writes files (path relative to `dir` -> content; objects as JSON) and returns `dir`. */
function writeFiles(dir: string, files: Record<string, unknown>): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  }
  return dir;
}

/** The message a function throws, failing the test when it throws something else or nothing. */
function thrownMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

const SG = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'nodes' } };

describe('parseTemplate', () => {
  test('reads JSON after a UTF-8 byte order mark', () => {
    // WHEN
    const template = parseTemplate('\uFEFF{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup"}}}', 'a.json');
    // THEN
    expect(template).toEqual({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup' } } });
  });

  test('reads YAML after a UTF-8 byte order mark', () => {
    // WHEN
    const template = parseTemplate('\uFEFFResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !Ref Vpc\n', 'a.yaml');
    // THEN
    expect(template).toEqual({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } } } });
  });

  test.each([
    ['!Ref Vpc', { Ref: 'Vpc' }],
    ['!Ref 80', { Ref: '80' }],
    ['!Sub "arn:${AWS::Partition}:s3:::b"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b' }],
    ['!Sub ["${A}-x", {A: !Ref B}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Sub |\n        #!/bin/bash\n        echo ${X}', { 'Fn::Sub': '#!/bin/bash\necho ${X}\n' }],
    ['!GetAtt Cluster.ClusterSecurityGroupId', { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }],
    ['!GetAtt Stack.Outputs.SubnetId', { 'Fn::GetAtt': ['Stack', 'Outputs.SubnetId'] }],
    ['!GetAtt [Cluster, Arn]', { 'Fn::GetAtt': ['Cluster', 'Arn'] }],
    ['!If [IsProd, {CidrIp: 10.0.0.0/8}, !Ref AWS::NoValue]', { 'Fn::If': ['IsProd', { CidrIp: '10.0.0.0/8' }, { Ref: 'AWS::NoValue' }] }],
    ['!Join ["", [a, !Ref B]]', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", !ImportValue Subnets]', { 'Fn::Split': [',', { 'Fn::ImportValue': 'Subnets' }] }],
    ['!FindInMap [M, !Ref AWS::Region, Ami]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Ami'] }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Cidr [!GetAtt Vpc.CidrBlock, 6, 8]', { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 6, 8] }],
    ['!GetAZs', { 'Fn::GetAZs': '' }],
    ['!GetAZs eu-west-1', { 'Fn::GetAZs': 'eu-west-1' }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!And [!Condition A, !Or [!Condition B, !Not [!Condition C]]]', {
      'Fn::And': [{ Condition: 'A' }, { 'Fn::Or': [{ Condition: 'B' }, { 'Fn::Not': [{ Condition: 'C' }] }] }],
    }],
    ['!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
    ['!Length [a, b]', { 'Fn::Length': ['a', 'b'] }],
    ['!ToJsonString {a: 1}', { 'Fn::ToJsonString': { a: 1 } }],
  ])('maps the short form %j to its long form', (yaml, expected) => {
    // WHEN
    const template = parseTemplate(`Resources:\n  R:\n    Type: T\n    Properties:\n      P: ${yaml}\n`, 't.yaml');
    // THEN
    expect(template).toEqual({ Resources: { R: { Type: 'T', Properties: { P: expected } } } });
  });

  test('reads YAML scalars as YAML 1.1 does in CloudFormation and cfn-lint', () => {
    // GIVEN
    const yaml = 'AWSTemplateFormatVersion: 2010-09-09\nResources: {}\nV: [80, "80", \'80\', yes, Off, true, 0400, 1:20, 012345678912, E3008, 1e3, 1.5, ~, 10_000]\n';
    // WHEN
    const template = parseTemplate(yaml, 't.yaml');
    // THEN
    expect(template).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {},
      V: [80, '80', '80', true, false, true, 256, 80, '012345678912', 'E3008', '1e3', 1.5, null, 10000],
    });
  });

  test('reports a JSON syntax error with its line and column', () => {
    // GIVEN a trailing comma on line 3
    const json = '{\n  "Resources": {\n    "Sg": {"Type": "AWS::EC2::SecurityGroup"},\n  }\n}\n';
    // THEN
    expect(thrownMessage(() => parseTemplate(json, 'stack.json'))).toEqual(
      'stack.json: JSON syntax error at line 4, column 3: Expected a double-quoted property name, found "}"',
    );
  });

  test('counts JSON columns after the byte order mark', () => {
    expect(thrownMessage(() => parseTemplate('\uFEFF{"Resources": }', 'bom.json'))).toEqual(
      'bom.json: JSON syntax error at line 1, column 15: Expected a value, found "}"',
    );
  });

  test('reports a JSON file cut short where it ends', () => {
    expect(thrownMessage(() => parseTemplate('{\n  "Resources": {\n', 'cut.json'))).toEqual(
      'cut.json: JSON syntax error at line 3, column 1: Expected a double-quoted property name, found the end of the file',
    );
  });

  test('reports a broken .json file as JSON even when it does not start with {', () => {
    expect(thrownMessage(() => parseTemplate('// generated\n{"Resources": {}}', 'c.json'))).toEqual(
      'c.json: JSON syntax error at line 1, column 1: Expected a value, found "/"',
    );
  });

  test('reports a YAML syntax error with its line and column', () => {
    // GIVEN a mapping written on the line of its key, on line 4
    const yaml = 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: VpcId: vpc-1\n';
    // THEN
    expect(thrownMessage(() => parseTemplate(yaml, 'stack.yaml'))).toEqual(
      'stack.yaml: YAML syntax error at line 4, column 17: Nested mappings are not allowed in compact mappings',
    );
  });

  test('reports a duplicate YAML key as a syntax error', () => {
    expect(thrownMessage(() => parseTemplate('Resources: {}\nResources: {}\n', 'dup.yaml'))).toEqual(
      'dup.yaml: YAML syntax error at line 2, column 1: Map keys must be unique',
    );
  });

  test.each([
    ['JSON without Resources', 'x.json', '{"AWSTemplateFormatVersion": "2010-09-09"}'],
    ['YAML without Resources', 'x.yaml', 'name: build\non: push\n'],
    ['a resource without a Type', 'x.yaml', 'Resources:\n  Sg:\n    Properties: {}\n'],
    ['an empty YAML file', 'x.yaml', ''],
  ])('rejects %s as not a template', (_, file, text) => {
    expect(thrownMessage(() => parseTemplate(text, file))).toEqual(
      `${file}: not a CloudFormation template (it needs a "Resources" object whose entries each have a "Type")`,
    );
  });

  test('isTemplate needs a Resources object whose entries each have a string Type', () => {
    expect(isTemplate({ Resources: { Sg: SG } })).toBe(true);
    expect(isTemplate({ Resources: {} })).toBe(true);
    expect(isTemplate({ Resources: { Sg: { Type: 1 } } })).toBe(false);
    expect(isTemplate({ Resources: [] })).toBe(false);
    expect(isTemplate(null)).toBe(false);
  });

  test('an alias is read as its anchor; an unknown one is a syntax error', () => {
    expect(parseDocument('a: &x {b: 1}\nc: *x\n', 'a.yaml')).toEqual({ a: { b: 1 }, c: { b: 1 } });
    expect(thrownMessage(() => parseDocument('a: *nope\n', 'a.yaml'))).toEqual('a.yaml: YAML syntax error at line 1, column 4: Unknown alias *nope');
  });
});

describe('readInputs', () => {
  test('reads a template file as one stack named by its path', () => {
    // GIVEN
    const file = path.join(writeFiles(tempDir('file'), { 'stack.yaml': 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n' }), 'stack.yaml');
    // WHEN
    const read = readInputs([file]);
    // THEN
    expect(read).toEqual({
      stacks: [{ id: file, location: file, template: { Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup' } } } }],
      problems: [],
      notes: [],
      acknowledgements: [],
    });
  });

  test('reports a missing file as a problem', () => {
    expect(readInputs(['x.json'])).toEqual({ stacks: [], problems: ['x.json: no such file or folder'], notes: [], acknowledgements: [] });
  });

  test('still reads the good input next to unreadable ones', () => {
    // GIVEN
    const dir = writeFiles(tempDir('mixed-inputs'), { 'good.json': { Resources: { Sg: SG } }, 'bad.json': '{"Resources": {' });
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    // WHEN
    const read = readInputs([bad, 'missing.json', good]);
    // THEN
    expect(read.stacks.map((s) => s.id)).toEqual([good]);
    expect(read.problems).toEqual([
      `${bad}: JSON syntax error at line 1, column 16: Expected a double-quoted property name, found the end of the file`,
      'missing.json: no such file or folder',
    ]);
  });

  test('reads an input given twice once', () => {
    // GIVEN
    const file = path.join(writeFiles(tempDir('twice'), { 't.json': { Resources: { Sg: SG } } }), 't.json');
    // WHEN
    const read = readInputs([file, file]);
    // THEN
    expect(read.stacks.map((s) => s.id)).toEqual([file]);
    expect(read.notes).toEqual([`${file}: given more than once; read once`]);
  });

  test('reads the templates of a folder by name, skipping other files with a note', () => {
    // GIVEN
    const dir = writeFiles(tempDir('folder'), {
      'b-network.yaml': 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n',
      'a-nodes.json': { Resources: { Sg: SG } },
      'c-cluster.template': '{"Resources": {"Cluster": {"Type": "AWS::EKS::Cluster"}}}',
      'package.json': { name: 'app', version: '1.0.0' },
      'tsconfig.json': '// comments are not JSON\n{}',
      'README.md': '# not read',
      'sub': { Resources: { Ignored: SG } },
    });
    fs.mkdirSync(path.join(dir, 'nested.json'));
    // WHEN
    const read = readInputs([dir]);
    // THEN
    expect(read.stacks.map((s) => [s.id, s.location])).toEqual([
      [path.join(dir, 'a-nodes.json'), path.join(dir, 'a-nodes.json')],
      [path.join(dir, 'b-network.yaml'), path.join(dir, 'b-network.yaml')],
      [path.join(dir, 'c-cluster.template'), path.join(dir, 'c-cluster.template')],
    ]);
    expect(read.stacks[1].template).toEqual({ Resources: { Vpc: { Type: 'AWS::EC2::VPC' } } });
    expect(read.problems).toEqual([]);
    expect(read.notes).toEqual([
      `${dir}/package.json: skipped, not a CloudFormation template`,
      `${dir}/tsconfig.json: skipped, not a CloudFormation template (JSON syntax error at line 1, column 1: Expected a value, found "/")`,
    ]);
  });

  test('reports a broken template in a folder as a problem', () => {
    // GIVEN a .template file, and JSON that mentions Resources
    const dir = writeFiles(tempDir('broken'), {
      'a.template': 'Resources: [',
      'b.json': '{"Resources": {}',
      'c.yaml': 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n',
    });
    // WHEN
    const read = readInputs([dir]);
    // THEN
    expect(read.stacks.map((s) => s.id)).toEqual([`${dir}/c.yaml`]);
    expect(read.problems).toEqual([
      `${dir}/a.template: YAML syntax error at line 1, column 13: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      `${dir}/b.json: JSON syntax error at line 1, column 17: Expected ',' or '}' after a property value, found the end of the file`,
    ]);
  });

  test('reports a folder with no templates as a problem', () => {
    // GIVEN
    const dir = tempDir('empty');
    // THEN
    expect(readInputs([dir])).toEqual({
      stacks: [],
      problems: [`${dir}: a folder with no CloudFormation templates; pass a cdk.out folder (run cdk synth first) or template files`],
      notes: [],
      acknowledgements: [],
    });
  });

  describe('a cloud assembly', () => {
    /** A small cdk.out: two stacks, one with a nested stack that nests another, and a stage. */
    function cloudAssembly(): string {
      const nestedStack = (file: string) => ({ Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': file } });
      return writeFiles(tempDir('assembly'), {
        'manifest.json': {
          version: '54.0.0',
          artifacts: {
            'Network.assets': { type: 'cdk:asset-manifest', properties: { file: 'Network.assets.json' } },
            'Network': { type: 'aws:cloudformation:stack', properties: { templateFile: 'Network.template.json', stackName: 'network-prod' } },
            'Cluster': { type: 'aws:cloudformation:stack', properties: { templateFile: 'Cluster.template.json' } },
            'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } },
            'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
          },
        },
        'Network.template.json': { Resources: { Vpc: { Type: 'AWS::EC2::VPC' } } },
        'Cluster.template.json': { Resources: { Sg: SG, ProviderStack: nestedStack('ClusterProviderAB12.nested.template.json') } },
        'ClusterProviderAB12.nested.template.json': { Resources: { Fn: { Type: 'AWS::Lambda::Function' }, Inner: nestedStack('ClusterInnerCD34.nested.template.json') } },
        'ClusterInnerCD34.nested.template.json': { Resources: { Role: { Type: 'AWS::IAM::Role' } } },
        'Unlisted.template.json': { Resources: { Sg: SG } },
        'assembly-Prod/manifest.json': {
          version: '54.0.0',
          artifacts: { ProdApiE5F6: { type: 'aws:cloudformation:stack', properties: { templateFile: 'ProdApiE5F6.template.json', stackName: 'Prod-Api' } } },
        },
        'assembly-Prod/ProdApiE5F6.template.json': { Resources: { Api: { Type: 'AWS::ApiGateway::RestApi' } } },
      });
    }

    test('reads every stack of the manifest, stage assemblies and nested stacks', () => {
      // GIVEN
      const dir = cloudAssembly();
      // WHEN
      const read = readInputs([dir]);
      // THEN
      expect(read.problems).toEqual([]);
      expect(read.notes).toEqual([]);
      expect(read.stacks.map(({ template, ...rest }) => rest)).toEqual([
        { id: 'Network', stackName: 'network-prod', location: `${dir}/Network.template.json`, constructPaths: {} },
        { id: 'Cluster', stackName: 'Cluster', location: `${dir}/Cluster.template.json`, constructPaths: {} },
        {
          id: 'ClusterProviderAB12.nested.template.json',
          location: `${dir}/ClusterProviderAB12.nested.template.json`,
          parent: { stackId: 'Cluster', logicalId: 'ProviderStack' },
        },
        {
          id: 'ClusterInnerCD34.nested.template.json',
          location: `${dir}/ClusterInnerCD34.nested.template.json`,
          parent: { stackId: 'ClusterProviderAB12.nested.template.json', logicalId: 'Inner' },
        },
        { id: 'assembly-Prod/ProdApiE5F6', stackName: 'Prod-Api', location: `${dir}/assembly-Prod/ProdApiE5F6.template.json`, constructPaths: {} },
      ]);
      expect(read.stacks[4].template).toEqual({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi' } } });
    });

    test('reports a missing or broken template and still reads the other stacks', () => {
      // GIVEN
      const dir = cloudAssembly();
      fs.rmSync(path.join(dir, 'ClusterInnerCD34.nested.template.json'));
      fs.writeFileSync(path.join(dir, 'Network.template.json'), '{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC"}');
      // WHEN
      const read = readInputs([dir]);
      // THEN
      expect(read.stacks.map((s) => s.id)).toEqual(['Cluster', 'ClusterProviderAB12.nested.template.json', 'assembly-Prod/ProdApiE5F6']);
      expect(read.problems).toEqual([
        `${dir}/Network.template.json: JSON syntax error at line 1, column 48: Expected ',' or '}' after a property value, found the end of the file`,
        `${dir}/ClusterProviderAB12.nested.template.json: nested stack Inner: its template ${dir}/ClusterInnerCD34.nested.template.json is missing; run cdk synth again`,
      ]);
    });

    test('keeps stack ids unique when two assemblies share them', () => {
      // GIVEN
      const first = cloudAssembly();
      const second = cloudAssembly();
      // WHEN
      const read = readInputs([first, second]);
      // THEN
      const ids = read.stacks.map((s) => s.id);
      expect(new Set(ids).size).toEqual(ids.length);
      expect(read.stacks.find((s) => s.id === `${second}:ClusterInnerCD34.nested.template.json`)?.parent).toEqual({
        stackId: `${second}:ClusterProviderAB12.nested.template.json`,
        logicalId: 'Inner',
      });
    });

    test('reports an assembly with no stacks as a problem', () => {
      // GIVEN
      const dir = writeFiles(tempDir('no-stacks'), { 'manifest.json': { version: '54.0.0' } });
      // THEN
      expect(readInputs([dir]).problems).toEqual([`${dir}: a cloud assembly with no stacks; check that the app defines stacks, then run cdk synth again`]);
    });
  });
});

const REAL_WORLD = path.join(__dirname, '../../../shared/real-world');
const describeRealWorld = fs.existsSync(REAL_WORLD) ? describe : describe.skip;

describeRealWorld('real-world YAML templates (../shared/real-world)', () => {
  const yamlFiles = fs.existsSync(REAL_WORLD) ? fs.readdirSync(path.join(REAL_WORLD, 'yaml')).filter((f) => /\.ya?ml$/.test(f)) : [];

  test('the folder holds YAML templates', () => {
    expect(yamlFiles.length).toBeGreaterThan(0);
  });

  test.each(yamlFiles)('%s reads as its cfn-lint-decoded JSON', (file) => {
    // GIVEN
    const yaml = fs.readFileSync(path.join(REAL_WORLD, 'yaml', file), 'utf8');
    const json = JSON.parse(fs.readFileSync(path.join(REAL_WORLD, 'json', file.replace(/\.ya?ml$/, '.json')), 'utf8'));
    // THEN
    expect(parseTemplate(yaml, file)).toStrictEqual(json);
  });
});
