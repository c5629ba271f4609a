import type { V1Pod } from '@kubernetes/client-node';
import type { ControllerContext } from '../controllers/runtime/controllerContext';
import type { InformerHandlers } from '../controllers/runtime/informer';
import { resources } from '../controllers/runtime/resources';
import { createPodImageSideloader, type SideloadNotice, sideloadEvent } from './podImageSideloader';
import type { NodeProvider } from './providers/nodeProvider';

// Feeds the in-process control plane's pods to the image sideloader and reports each copy as an
// Event on the pod and as progress lines in the host log. Returns the function that stops it.

export function watchPodImages(
  context: ControllerContext,
  provider: NodeProvider,
  cluster: string,
  /** Also hears every notice, e.g. to show copies as operations in the status bar. */
  options: { onNotice?: (notice: SideloadNotice) => void } = {},
): () => void {
  const log = context.log.child({ component: 'image-sideloader' });
  const recorder = context.recorder('image-sideloader');
  const sideloader = createPodImageSideloader({
    provider,
    cluster,
    log,
    onNotice(notice) {
      const { node, image, state, bytes } = notice;
      log.info('image sideload', { node, image, state, ...(bytes ? { bytes } : {}) });
      const event = sideloadEvent(notice);
      if (event) recorder.event(notice.pod, event.type, event.reason, event.message);
      options.onNotice?.(notice);
    },
  });
  const informer = context.informers.for(resources.pods);
  const handlers: InformerHandlers<V1Pod> = {
    onAdd: (pod) => sideloader.handlePod(pod),
    onUpdate: (_old, pod) => sideloader.handlePod(pod),
  };
  informer.addHandlers(handlers);
  return () => informer.removeHandlers(handlers);
}
