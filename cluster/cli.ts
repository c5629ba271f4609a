import { Command, CommanderError } from 'commander';
import { appVersion } from './appRoot';
import { registerComposeCommand } from './commands/compose';
import { registerConvertCommand } from './commands/convert';
import { registerDeleteCommand } from './commands/delete';
import { registerLifecycleCommands } from './commands/lifecycle';
import { registerNodeCommands } from './commands/nodes';
import { registerPortForwardCommand } from './commands/portForward';
import { registerServeCommand } from './commands/serve';
import { registerVersionCommand } from './commands/version';

// The `kubedesk` command line. Each command lives in `commands/` and registers itself here.

export function buildProgram(): Command {
  const program = new Command('kubedesk')
    .description('Kubedesk: a real multi-node Kubernetes cluster on your own computer')
    .version(appVersion, '-v, --version')
    .option('--data-dir <dir>', 'folder holding all state of one installation (default: the app-data folder)')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerLifecycleCommands(program);
  registerDeleteCommand(program);
  registerNodeCommands(program);
  registerPortForwardCommand(program);
  registerConvertCommand(program);
  registerComposeCommand(program);
  registerVersionCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    // The one place command errors are reported.
    process.stderr.write(`kubedesk: ${(err as Error).message}\n`);
    return 1;
  }
}
