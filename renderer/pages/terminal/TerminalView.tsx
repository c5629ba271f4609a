import { useEffect, useRef } from 'react';
import type { TerminalTab } from './terminalStore';

/** Shows one tab's terminal: re-attaches its screen element and keeps it fitted to the space. */
export function TerminalView({ tab }: { tab: TerminalTab }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = container.current;
    if (!host) return;
    const { terminal, fit, screen } = tab;
    host.appendChild(screen);
    if (!terminal.element) terminal.open(screen);
    let frame = 0;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // Fitting a hidden element would shrink the terminal to nothing.
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    };
    const observer = new ResizeObserver(refit);
    observer.observe(host);
    refit();
    terminal.refresh(0, terminal.rows - 1);
    terminal.focus();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      // The element (and its scrollback) stays with the tab, ready for the next visit.
      screen.remove();
    };
  }, [tab]);
  return <div className="terminal-view" ref={container} />;
}
