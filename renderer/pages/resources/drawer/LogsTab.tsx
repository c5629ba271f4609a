import type { V1Pod } from '@kubernetes/client-node';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PodLogsData } from '../../../../main/host/clusterView/objectDetailsContract';
import { subscribeTopic } from '../../../data/subscribeTopic';
import { appendLogLines, emptyLogBuffer, type LogBuffer, retainedLogLines, splitMatches } from './logBuffer';

// A pod's logs, streamed from the host: container choice (init containers too), follow, the
// previous instance, timestamps, search with highlight and download of what is shown.

interface ContainerChoice {
  name: string;
  init: boolean;
}

function containersOf(pod: V1Pod): ContainerChoice[] {
  return [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ name: c.name, init: true })),
    ...(pod.spec?.containers ?? []).map((c) => ({ name: c.name, init: false })),
  ];
}

export function LogsTab({ pod }: { pod: V1Pod }) {
  const containers = containersOf(pod);
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const [container, setContainer] = useState(() => containers.find((c) => !c.init)?.name ?? '');
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [search, setSearch] = useState('');
  const [buffer, setBuffer] = useState<LogBuffer>(emptyLogBuffer);
  const [state, setState] = useState<{ error?: string; ended: boolean }>({ ended: false });
  const view = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    let pending = emptyLogBuffer;
    let frame: number | undefined;
    setBuffer(emptyLogBuffer);
    setState({ ended: false });
    const render = () => {
      frame = undefined;
      setBuffer(pending);
    };
    const onData = (data: PodLogsData) => {
      if (data.type === 'lines') {
        pending = appendLogLines(pending, data.lines, data.skipped);
        frame ??= requestAnimationFrame(render);
      } else if (data.type === 'error') setState({ error: data.message, ended: true });
      else setState({ ended: true });
    };
    const args = { namespace, pod: name, container, follow, previous, timestamps };
    const unsubscribe = subscribeTopic('cluster.podLogs', args, onData);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [namespace, name, container, follow, previous, timestamps]);

  // Follow the end of the log unless the person scrolled up to read.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each new batch is shown.
  useEffect(() => {
    const el = view.current;
    if (el && follow && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [buffer, follow]);

  const matching = useMemo(() => {
    if (!search) return 0;
    const needle = search.toLowerCase();
    return buffer.lines.filter((l) => l.toLowerCase().includes(needle)).length;
  }, [buffer, search]);

  const download = () => {
    const blob = new Blob([`${buffer.lines.join('\n')}\n`], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${name}-${container}${previous ? '-previous' : ''}.log`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div className="logs-tab">
      <div className="logs-toolbar">
        <select
          className="control"
          aria-label="Container"
          value={container}
          onChange={(e) => setContainer(e.target.value)}
        >
          {containers.map((c) => (
            <option key={c.name} value={c.name}>
              {c.init ? `init: ${c.name}` : c.name}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label>
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} />{' '}
          Previous
        </label>
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />{' '}
          Timestamps
        </label>
        <input
          type="search"
          className="control"
          aria-label="Search logs"
          placeholder="Search logs"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {search && <span className="muted">{matching} matching lines</span>}
        <button type="button" onClick={download} disabled={buffer.lines.length === 0}>
          Download
        </button>
      </div>
      {buffer.dropped > 0 && (
        <p className="muted">
          Showing the last {retainedLogLines} lines; {buffer.dropped} earlier lines are not kept.
        </p>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <pre
        className="log-view"
        role="log"
        ref={view}
        aria-label={`Logs of ${container}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {buffer.lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no identity but their place.
          <span className="log-line" key={buffer.dropped + index}>
            {splitMatches(line, search).map((part, i) =>
              part.match ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: parts of one line, in order.
                <mark key={i}>{part.text}</mark>
              ) : (
                part.text
              ),
            )}
            {'\n'}
          </span>
        ))}
      </pre>
      {state.ended && !state.error && <p className="muted">The log ended.</p>}
    </div>
  );
}
