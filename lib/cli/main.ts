import { check, formatTable } from './checker';

const USAGE = `Usage: eks-networking-check [--format table|json] <cdk.out folder | folder | template file ...>

Runs the EksNetworking rules (the same as the EksNetworkingChecks cdk-nag pack) over synthesized
CloudFormation templates, without the CDK app. All inputs are read as one app: a cloud assembly
(a folder with manifest.json) with its stacks, stages and nested stacks, other folders' JSON and
YAML templates, or template files. Exits 1 when an error-level rule fires or an input cannot be
read (every other input is still checked), 0 otherwise.`;

/** Output streams, so that tests can capture them. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the checker with command-line arguments and returns the exit code. */
export function main(argv: string[], io: CliIo): number {
  let format = 'table';
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      format = arg.includes('=') ? arg.slice('--format='.length) : argv[++i] ?? '';
      if (format !== 'table' && format !== 'json') {
        io.err(`--format: '${format}' is not a format; use table or json\n\n${USAGE}`);
        return 1;
      }
    } else if (arg.startsWith('-')) {
      io.err(`${arg}: unknown option\n\n${USAGE}`);
      return 1;
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) {
    io.err(`no input: pass a cdk.out folder or template files\n\n${USAGE}`);
    return 1;
  }
  const result = check(inputs);
  for (const problem of result.problems) io.err(`eks-networking-check: ${problem}`);
  if (format !== 'json') for (const note of result.notes) io.err(`eks-networking-check: note: ${note}`);
  io.out(format === 'json' ? JSON.stringify(result, null, 2) : formatTable(result));
  return result.problems.length > 0 || result.findings.some((f) => f.level === 'error') ? 1 : 0;
}

/** The entry point of the `eks-networking-check` command. */
export function run(): void {
  process.exitCode = main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
