// vitest global setup: unpacks the bundled kubectl and helm once, in the main process before any
// worker starts, so test files running in parallel never race to unpack them.

import { bundledTools } from '../../../main/host/terminal/bundledTools';
import { kubeToolsDir } from './kubeTools';

export async function setup(): Promise<void> {
  // A problem (say, not linux/x64) fails only the tests that need the tools, not the whole run.
  await bundledTools(kubeToolsDir);
}
