// Runs the command-line checker from the TypeScript sources (no compile needed), as the
// installed `eks-networking-check` command would.
import { run } from '../lib/cli/main';

run();
