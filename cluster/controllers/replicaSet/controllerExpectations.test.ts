import { describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import { ControllerExpectations } from './controllerExpectations';

describe('controller expectations', () => {
  it('is satisfied once every expected creation was observed', () => {
    const e = new ControllerExpectations(new ManualClock(new Date(0)));
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts each expected deletion once, by pod key', () => {
    const e = new ControllerExpectations(new ManualClock(new Date(0)));
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/other');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('gives up waiting after five minutes, and forgets deleted owners', () => {
    const clock = new ManualClock(new Date(0));
    const e = new ControllerExpectations(clock);
    e.expectCreations('ns/rs', 3);
    clock.advance(5 * 60_000);
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.advance(1);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/other', 1);
    e.delete('ns/other');
    expect(e.satisfied('ns/other')).toBe(true);
  });
});
