import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { startHeadlessHost } from '../../main/headless';
import { createHostHandlers } from '../../main/host/host';
import { openConfSettings } from '../../main/host/settingsStore';
import { appRoot, appVersion } from '../appRoot';
import { dataPaths } from '../dataDir';
import { consoleSink, createLogger, fileSink } from '../log';
import { globalOptions } from './globalOptions';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  }
  return port;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the headless host: the Kubedesk UI served to your browser on 127.0.0.1')
    .option('-p, --port <port>', 'port for the UI (0 picks a free one)', parsePort, 0)
    .action(async (opts: { port: number }, command: Command) => {
      const { dataDir } = globalOptions(command);
      const paths = dataPaths(dataDir);
      const log = createLogger({ sinks: [fileSink(paths.hostLog), consoleSink()] });
      const settings = openConfSettings(dataDir);
      const handlers = createHostHandlers({ dataDir, mode: 'headless', version: appVersion, settings, log });
      const host = await startHeadlessHost({
        handlers,
        rendererDir: join(appRoot, 'out', 'renderer'),
        port: opts.port,
        log,
      });
      process.stdout.write(`Kubedesk is running at ${host.url}\n`);
      const stop = () => void host.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
