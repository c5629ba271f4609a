import type { SideloadNotice } from '../../../cluster/provisioner/podImageSideloader';
import type { OperationHandle, OperationSink } from './operationsRegistry';

// Each copy of an image from the host's Docker engine into a node, as one operation in the status
// bar. No retry: the sideloader copies again by itself when the pod next changes (the kubelet's
// ErrImagePull or ImagePullBackOff), which a manual retry could only race with.

export function sideloadOperations(operations: OperationSink): (notice: SideloadNotice) => void {
  /** Copies under way, by `<node> <image>` (the sideloader runs one per pair at a time). */
  const open = new Map<string, OperationHandle>();
  return (notice) => {
    const key = `${notice.node} ${notice.image}`;
    let op = open.get(key);
    if (!op) {
      op = operations.begin(`Load image ${notice.image} into ${notice.node}`);
      open.set(key, op);
    }
    const step = `copy ${notice.image} from the host's Docker engine`;
    if (notice.state === 'loading') {
      op.progress({ step, state: 'running', ...(notice.bytes ? { bytes: notice.bytes } : {}) });
      return;
    }
    open.delete(key);
    if (notice.state === 'loaded') {
      op.progress({
        step,
        state: 'done',
        ...(notice.bytes ? { bytes: notice.bytes } : {}),
        ...(notice.elapsedMs !== undefined ? { elapsedMs: notice.elapsedMs } : {}),
      });
      op.succeed();
    } else {
      const error = notice.error ?? 'the copy failed';
      op.progress({ step, state: 'failed', error });
      op.fail(new Error(error));
    }
  };
}
