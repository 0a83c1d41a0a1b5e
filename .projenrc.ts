import { awscdk, javascript } from 'projen';

/**
 * The lowest aws-cdk-lib that works. cdk-nag 3 declares ^2.257.0, but its packs run as validation
 * plugins only where aws-cdk-lib hands them the construct tree (`appConstruct` on the validation
 * context), which 2.258.0 is the first to do: with 2.257.0 every pack fails with "NagPack
 * requires a construct tree on the validation context". The dev dependency is the same version,
 * so the test suite proves the floor.
 */
const CDK_FLOOR = '2.258.0';

/**
 * The kubectl layer the examples use. Kubernetes 1.34 is in EKS standard support; kubectl must be
 * within one minor version of the cluster. Change it here and in `examples/kubernetes-version.ts`.
 */
const EXAMPLE_KUBECTL_LAYER = '@aws-cdk/lambda-layer-kubectl-v34';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'hardened-eks-networking',
  description:
    'EKS network boundaries as CDK constructs (node-only security groups, kubelet access, ALB backends, pods security groups) and a cdk-nag 3 pack that checks them.',
  author: 'hardened-eks-networking maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/hardened-eks-networking/hardened-eks-networking.git',
  keywords: ['cdk', 'eks', 'kubernetes', 'security-group', 'kubelet', 'cdk-nag', 'aws-load-balancer-controller'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Sources live in lib/ and jsii compiles them in place.
  srcdir: 'lib',
  libdir: 'lib',

  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  // The pack extends cdk-nag's NagPack: users bring cdk-nag 3, as they bring aws-cdk-lib.
  peerDeps: ['cdk-nag@^3.0.2'],
  // The command-line checker reads YAML templates (short-form tags included); jsii needs
  // non-jsii runtime dependencies bundled.
  bundledDeps: ['yaml@^2'],
  devDeps: [
    'fast-check@^4',
    // Tests validate Ingress and NetworkPolicy manifests against the Kubernetes OpenAPI schemas.
    // 4.x: 5.x is ESM-only and needs node >= 22, and jest runs the tests as CommonJS on node 20.
    'kubernetes-models@^4.5.1',
    // Tests validate the SecurityGroupPolicy CRD and vpc-cni add-on schemas in ../shared/fixtures
    // when the folder is there.
    'ajv@^8',
    '@aws-cdk/lambda-layer-kubectl-v29@^2.1.1',
    `${EXAMPLE_KUBECTL_LAYER}@^2.2.2`,
    // Never aws-cdk@3.0.0: an accidental old build on the registry.
    'aws-cdk@^2.1148.1',
    'ts-node@^10.9.2',
    '@types/node@^20',
    'ts-jest@^29.4',
    'jsii-rosetta@~6.0.0',
  ],

  jestOptions: {
    jestVersion: '^30',
    // CI must fail on a changed snapshot, never rewrite it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // jsii compiles lib/*.ts in place: ts must win over the stale lib/*.js.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
      coverageProvider: 'v8',
      // Coverage doubles the suite's time on two cores (50 s to 100 s): run it on demand with
      // `npx jest --coverage`.
      collectCoverage: false,
      globalSetup: '<rootDir>/test/jest-global-setup.js',
      globalTeardown: '<rootDir>/test/jest-global-teardown.js',
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
      watchPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
    },
  },

  // Publishing stays configured for every jsii language; only JS packages are built here.
  publishToPypi: {
    distName: 'hardened-eks-networking',
    module: 'hardened_eks_networking',
  },
  publishToMaven: {
    javaPackage: 'io.github.hardened_eks_networking',
    mavenGroupId: 'io.github.hardened-eks-networking',
    mavenArtifactId: 'hardened-eks-networking',
  },
  publishToNuget: {
    dotNetNamespace: 'HardenedEksNetworking',
    packageId: 'HardenedEksNetworking',
  },
  publishToGo: {
    moduleName: 'github.com/hardened-eks-networking/hardened-eks-networking-go',
  },

  bin: { 'eks-networking-check': 'bin/eks-networking-check' },
  sampleCode: false,
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench', '.projenrc.ts'],
  },
  gitignore: [
    'cdk.out/',
    '.jsii.tabl.json',
    '/.jest-tmp/',
    '*.js.map',
    '/bench/out/',
    '/.ci/out/',
  ],
  tsconfigDev: {
    // The consumer example imports the package by its registry name: type-check it against lib/.
    compilerOptions: { paths: { 'hardened-eks-networking': ['../lib/index.ts'], 'hardened-eks-networking/lib/*': ['../lib/*'] } },
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
  },
});

// Compiled output lives next to the sources: ignore it in git, ship only .js and .d.ts.
project.gitignore.removePatterns('/lib');
project.gitignore.exclude('/lib/**/*.js', '/lib/**/*.d.ts');
project.npmignore?.exclude('/lib/**/*.ts', '/examples/', '/bench/', '/cdk.out/', '/.ci/', '/cdk.json', '/rosetta/', '/scripts/');
project.npmignore?.include('/lib/**/*.d.ts', '/lib/**/*.js');
// The consumer example is its own app with its own dependencies: CI checks it (check-consumer).
project.eslint?.addIgnorePattern('examples/consumer/');

// Local builds and CI package JS only: the other registries cannot be reached here. The
// per-language package tasks stay for the release workflow.
const pkg = project.tasks.tryFind('package')!;
pkg.reset();
pkg.spawn(project.tasks.tryFind('package:js')!);

// Prove the Python, Java, .NET and Go bindings generate, offline.
const codeOnly = project.addTask('package:code-only', {
  description: 'Generate the Python, Java, .NET and Go bindings without building them (works offline)',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir .ci/out/pacmak',
});

// README and API docs snippets compile under jsii-rosetta --strict.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and doc-comment example in strict mode',
  exec: 'jsii-rosetta extract --strict --compile --fail',
});
project.postCompileTask.spawn(rosetta);

// ts-jest runs with isolatedModules (no type check): type-check tests, examples and bench here.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// The main job: synthesize the example app offline and check it.
const checkExamples = project.addTask('check-examples', {
  description: 'Synthesize the example app offline and check it (cdk-nag AwsSolutions and EksNetworking, cfn-lint, eks-networking-check)',
  exec: 'bash .ci/check-examples',
});

// The whole test suite: compile, docs, rosetta, jest, lint, JS package, the other languages'
// bindings, and the examples.
const testAll = project.addTask('test-all', {
  description: 'Everything CI checks: build, tests, bindings for every language, examples',
});
testAll.spawn(project.buildTask);
testAll.spawn(codeOnly);
testAll.spawn(checkExamples);

// The consumer example as a user runs it: the packed library installed from its tarball into a
// copy of examples/consumer, synthesized with the pack, and its unit test run.
const checkConsumer = project.addTask('check-consumer', {
  description: 'Install the packed library into a copy of examples/consumer, synthesize it and run its test',
  exec: 'bash .ci/check-consumer',
});
testAll.spawn(checkConsumer);

// The trunking table the package ships, compiled from ../shared/fixtures (a test checks it is current).
project.addTask('gen:trunking', {
  description: 'Compile the VPC resource controller limits fixture into lib/private/trunking-limits.ts',
  exec: 'node scripts/generate-trunking-table.js',
});

// Performance is measured here and reported, never asserted in a test.
project.addTask('bench', {
  description: 'Time the EksNetworking pack against AwsSolutions and a no-op walk on ~1k, 4k and 16k resources',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/bench.ts',
  env: { TS_NODE_PREFER_TS_EXTS: 'true' },
});

for (const t of ['compile', 'watch']) {
  project.tasks.tryFind(t)?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
}
for (const t of [codeOnly, rosetta, project.tasks.tryFind('package:js')!, project.tasks.tryFind('docgen')!]) {
  t.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
}

project.synth();
