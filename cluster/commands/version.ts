import type { Command } from 'commander';
import { appVersion } from '../appRoot';

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('print the Kubedesk version')
    .option('-o, --output <format>', 'text or json', 'text')
    .action((opts: { output: string }) => {
      const info = { kubedesk: appVersion, kubernetes: 'v1.35.0', node: process.version };
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      else
        process.stdout.write(
          `Kubedesk ${info.kubedesk} (Kubernetes API ${info.kubernetes}, Node.js ${info.node})\n`,
        );
    });
}
