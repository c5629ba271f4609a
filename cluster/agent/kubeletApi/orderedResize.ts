// Applies terminal sizes to Docker one call at a time. Clients send a size at once and again after
// their first layout; two concurrent resize calls can land in either order, leaving the TTY at the
// older size. Sizes that arrive while a call is in flight collapse to the newest.

import type { TerminalSize } from './streamProtocol';

export function orderedResize(
  resize: (size: TerminalSize) => Promise<unknown>,
): (size: TerminalSize) => void {
  let next: TerminalSize | undefined;
  let applying = false;
  const drain = async () => {
    applying = true;
    for (let size = next; size; size = next) {
      next = undefined;
      // A container that has just ended refuses; the next size (or none) is all that matters.
      await resize(size).catch(() => undefined);
    }
    applying = false;
  };
  return (size) => {
    next = size;
    if (!applying) void drain();
  };
}
