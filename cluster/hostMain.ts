import { Command, CommanderError } from 'commander';
import { registerServeCommand } from './commands/serve';

// The entry of the background host process `kubedesk start` spawns. It is bundled on its own (see
// commands/hostBundle.ts) with only the `host` and `serve` commands, so the long-running process
// loads what the host runs and not every command's dependencies.

const program = new Command('kubedesk')
  .option('--data-dir <dir>', 'folder holding all state of one installation')
  .exitOverride();
registerServeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) process.stderr.write(`kubedesk: ${(err as Error).message}\n`);
  process.exitCode = err instanceof CommanderError ? err.exitCode : 1;
}
