import * as fs from 'fs';
import * as path from 'path';
import { EKSCTL_APP_EXPECTATIONS, ExpectedFinding, REAL_WORLD_EXPECTATIONS } from './real-world-expectations';
import { check } from '../../lib/cli/checker';
import { checkModel, Finding } from '../../lib/nag/rules';
import { AppModel } from '../../lib/template/model';
import { parseTemplate } from '../../lib/template/parse';
import { StackInput } from '../../lib/template/stack-input';

// 27 public EKS and ECS templates nobody here wrote (../shared/real-world, SOURCES.md there), read
// in place. Where the folder is absent (a clone without ../shared), these tests are skipped, and
// jest counts and lists them as skipped.
const CORPUS = path.join(__dirname, '..', '..', '..', 'shared', 'real-world');
const present = fs.existsSync(path.join(CORPUS, 'json'));
const describeCorpus = present ? describe : describe.skip;

function read(form: 'json' | 'yaml', name: string): StackInput {
  const file = path.join(CORPUS, form, name);
  return { id: name, location: file, template: parseTemplate(fs.readFileSync(file, 'utf8'), file) };
}

function pinned(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule.id}@${f.resource.logicalId}`).sort();
}

function expected(findings: readonly ExpectedFinding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.resource}`).sort();
}

describeCorpus('public templates (../shared/real-world): the findings the catalog requires', () => {
  test('every template of the corpus has a pinned expectation', () => {
    expect(REAL_WORLD_EXPECTATIONS.map((e) => e.file).sort()).toEqual(fs.readdirSync(path.join(CORPUS, 'json')).sort());
  });

  test.each(REAL_WORLD_EXPECTATIONS.map((e) => [e.file, e] as const))('%s', (_file, expectation) => {
    const findings = checkModel(AppModel.fromStacks([read('json', expectation.file)]));
    expect(pinned(findings)).toEqual(expected(expectation.findings));
    for (const want of expectation.findings) {
      const got = findings.find((f) => f.rule.id === want.rule && f.resource.logicalId === want.resource)!;
      // A finding that holds in some branches only says under which condition; one that holds in all says none.
      if (want.when !== undefined) expect(got.message).toContain(`(${want.when})`);
      else expect(got.message).not.toMatch(/\(when /);
    }
    for (const not of expectation.notFindings ?? []) {
      expect(pinned(findings)).not.toContain(`${not.rule}@${not.resource}`);
    }
  });

  const yamlFiles = present ? fs.readdirSync(path.join(CORPUS, 'yaml')) : [];
  test.each(yamlFiles)('%s: the YAML original gives exactly the findings of its JSON form', (yamlFile) => {
    const jsonFile = yamlFile.replace(/\.ya?ml$/, '.json');
    const messages = (input: StackInput) => checkModel(AppModel.fromStacks([{ ...input, id: 't' }])).map((f) => `${f.rule.id}@${f.resource.logicalId}: ${f.message}`).sort();
    expect(messages(read('yaml', yamlFile))).toEqual(messages(read('json', jsonFile)));
  });

  test("eksctl's cluster and node group stacks, as one cloud assembly: the node group's imports are the cluster stack's exports", () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'eksctl-app-'));
    const cluster = read('json', 'w01-eksctl-cluster.json').template as any;
    // The two golden files come from different eksctl tests: name the cluster as the node group's tag does.
    const named = { ...cluster, Resources: { ...cluster.Resources, ControlPlane: { ...cluster.Resources.ControlPlane, Properties: { ...cluster.Resources.ControlPlane.Properties, Name: 'test' } } } };
    fs.writeFileSync(path.join(dir, 'cluster.template.json'), JSON.stringify(named));
    fs.copyFileSync(path.join(CORPUS, 'json', 'w02-eksctl-ng-selfmanaged.json'), path.join(dir, 'nodegroup.template.json'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '36.0.0',
      artifacts: {
        Cluster: { type: 'aws:cloudformation:stack', properties: { templateFile: 'cluster.template.json', stackName: 'eksctl-test-cluster' } },
        NodeGroup: { type: 'aws:cloudformation:stack', properties: { templateFile: 'nodegroup.template.json', stackName: 'eksctl-test-nodegroup-n5' } },
      },
    }));

    const result = check([dir]);
    expect(result.problems).toEqual([]);
    const byFile = (name: string) => result.findings.filter((f) => path.basename(f.template) === name).map((f) => `${f.ruleId.replace('EksNetworking-', '')}@${f.logicalId}`).sort();
    expect(byFile('cluster.template.json')).toEqual(expected(EKSCTL_APP_EXPECTATIONS['w01-eksctl-cluster.json']));
    expect(byFile('nodegroup.template.json')).toEqual(expected(EKSCTL_APP_EXPECTATIONS['w02-eksctl-ng-selfmanaged.json']));
    // Read alone, the import is an unknown security group (KUB3); in the app it is the cluster's control-plane SG.
    const kub2 = result.findings.find((f) => f.ruleId === 'EksNetworking-KUB2')!;
    expect(kub2.message).toContain('from security group ControlPlaneSecurityGroup into SG');
  });
});
