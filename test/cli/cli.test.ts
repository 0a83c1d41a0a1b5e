import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { compliantTemplate, ingress, NODE_SG } from '../nag/util';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } });
  return { code, out, err };
}

function write(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('eks-networking-check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hen-cli-'));

  test('a compliant template: exit 0 and a summary', () => {
    const file = write(dir, 'ok.json', compliantTemplate());
    expect(run([file])).toEqual({ code: 0, out: '0 errors, 0 warnings in 1 templates\n', err: '' });
  });

  test('an error-level finding: exit 1, a readable table', () => {
    const template = compliantTemplate();
    template.Resources.Open = ingress(NODE_SG, 'tcp', 10250, 10250, { CidrIp: '0.0.0.0/0' });
    template.Resources.Open.Metadata = { 'aws:cdk:path': 'App/Open' };
    const file = write(dir, 'open.json', template);
    const { code, out } = run([file]);
    expect(code).toBe(1);
    expect(out).toContain(`ERROR   EksNetworking-KUB1   ${file}  Open (App/Open)`);
    expect(out).toContain('TCP 10250 from 0.0.0.0/0 into NodeSg');
    expect(out).toMatch(/1 errors, 0 warnings in 1 templates\n$/);
  });

  test('warnings only: exit 0; --format json lists them', () => {
    const template = compliantTemplate();
    template.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess = true;
    const file = write(dir, 'public.json', template);
    const { code, out } = run(['--format', 'json', file]);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'EksNetworking-API2', level: 'warning', logicalId: 'Cluster', template: file })]);
  });

  test('a cdk.out folder: the stacks its manifest names, stage assemblies included', () => {
    const out = fs.mkdtempSync(path.join(dir, 'cdk.out-'));
    write(out, 'A.template.json', compliantTemplate());
    fs.mkdirSync(path.join(out, 'assembly-Stage'));
    write(path.join(out, 'assembly-Stage'), 'B.template.json', compliantTemplate());
    write(path.join(out, 'assembly-Stage'), 'manifest.json', { version: '1', artifacts: { B: { type: 'aws:cloudformation:stack', properties: { templateFile: 'B.template.json' } } } });
    write(out, 'manifest.json', {
      version: '1',
      artifacts: {
        A: { type: 'aws:cloudformation:stack', properties: { templateFile: 'A.template.json' } },
        Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } },
      },
    });
    expect(run([out]).out).toBe('0 errors, 0 warnings in 2 templates\n');
  });

  test('findings acknowledged in cdk_nag metadata are counted, not reported', () => {
    const template = compliantTemplate();
    template.Resources.Open = ingress(NODE_SG, 'tcp', 10250, 10250, { CidrIp: '10.0.0.0/8' });
    template.Resources.Open.Metadata = { cdk_nag: { rules_to_suppress: [{ id: 'EksNetworking-KUB1', reason: 'VPN' }] } };
    expect(run([write(dir, 'acked.json', template)])).toEqual({ code: 0, out: '0 errors, 0 warnings, 1 acknowledged in 1 templates\n', err: '' });
  });

  test.each([
    ['a missing file', () => path.join(dir, 'missing.json'), /missing.json: no such file or folder/],
    ['a file that is not a template', () => write(dir, 'x.txt', 'hello'), /x.txt: not a CloudFormation template/],
    ['JSON that is not a template', () => write(dir, 'pkg.json', { name: 'x' }), /pkg.json: not a CloudFormation template \(it needs a "Resources" object/],
    ['a folder with no templates', () => fs.mkdtempSync(path.join(dir, 'empty-')), /a folder with no CloudFormation templates/],
  ])('%s: exit 1, a clear message, and a summary of what was read', (_name, input, message) => {
    const { code, out, err } = run([input()]);
    expect(code).toBe(1);
    expect(out).toBe('0 errors, 0 warnings in 0 templates; 1 input could not be read\n');
    expect(err).toMatch(message);
  });

  test('one unreadable input does not hide the findings of the others', () => {
    const template = compliantTemplate();
    template.Resources.Open = ingress(NODE_SG, 'tcp', 10250, 10250, { CidrIp: '0.0.0.0/0' });
    const good = write(dir, 'open-too.json', template);
    const { code, out, err } = run([path.join(dir, 'nope.json'), good]);
    expect(code).toBe(1);
    expect(err).toBe(`eks-networking-check: ${path.join(dir, 'nope.json')}: no such file or folder\n`);
    expect(out).toContain('EksNetworking-KUB1');
    expect(out).toMatch(/1 errors, 0 warnings in 1 templates; 1 input could not be read\n$/);
  });

  test('a YAML template with short-form tags gives the findings of its JSON form', () => {
    const yaml = [
      'Parameters:',
      '  Cidr: { Type: String }',
      'Resources:',
      '  NodeSg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: nodes',
      '      Tags: [{ Key: !Sub "kubernetes.io/cluster/${AWS::StackName}", Value: owned }]',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 10250, ToPort: 10250, CidrIp: !Ref Cidr }',
    ].join('\n');
    const { code, out } = run([write(dir, 'nodes.yaml', yaml)]);
    expect(code).toBe(1);
    expect(out).toContain('TCP 10250 from an unresolved IPv4 CIDR (parameter Cidr) into NodeSg');
  });

  test('usage errors', () => {
    expect(run([]).err).toMatch(/no input: pass a cdk.out folder or template files/);
    expect(run(['--format', 'xml', 'x']).err).toMatch(/--format: 'xml' is not a format; use table or json/);
    expect(run(['--frobnicate']).code).toBe(1);
    expect(run(['--help'])).toEqual(expect.objectContaining({ code: 0, out: expect.stringContaining('Usage: eks-networking-check') }));
  });
});
