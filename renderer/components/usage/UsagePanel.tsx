import { lazy, Suspense } from 'react';
import type { UsageSeries } from '../../../main/host/usage/usageContract';
import './usage.css';

// recharts loads only when a chart is first shown.
const UsageChart = lazy(() => import('./UsageChart'));

/** A node's or pod's usage, or why it has none (a simulated node runs no containers). */
export function UsagePanel({ series }: { series: UsageSeries | undefined }) {
  if (!series) return <p className="usage-note muted">Usage: waiting for the first samples…</p>;
  if (!series.available) return <p className="usage-note muted">No usage: {series.reason}</p>;
  if (series.samples.length === 0) return <p className="usage-note muted">Usage: measuring…</p>;
  return (
    <Suspense fallback={<p className="usage-note muted">Loading charts…</p>}>
      <UsageChart samples={series.samples} />
    </Suspense>
  );
}
