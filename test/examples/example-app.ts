import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/** An App with the context of cdk.json (feature flags, availability zones), as `cdk synth` builds it. */
export function exampleApp(): App {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return new App({ context: cdkJson.context });
}
