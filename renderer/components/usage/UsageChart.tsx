import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageSample } from '../../../main/host/usage/usageContract';
import { formatBytes, formatCores } from './usageFormat';

// CPU (cores) and memory (bytes) over the sampled minutes, as two small area charts.

const time = (t: number) =>
  new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function Chart({
  samples,
  field,
  format,
  color,
  label,
}: {
  samples: UsageSample[];
  field: 'cpuCores' | 'memoryBytes';
  format(value: number): string;
  color: string;
  label: string;
}) {
  const latest = samples[samples.length - 1];
  return (
    <figure className="usage-chart" aria-label={`${label} usage`}>
      <figcaption>
        {label} <strong>{latest ? format(latest[field]) : '–'}</strong>
      </figcaption>
      <ResponsiveContainer width="100%" height={60}>
        <AreaChart data={samples} margin={{ top: 2, right: 2, bottom: 0, left: 0 }}>
          <XAxis dataKey="t" hide type="number" domain={['dataMin', 'dataMax']} />
          <YAxis hide domain={[0, 'auto']} />
          <Tooltip
            formatter={(value) => format(Number(value))}
            labelFormatter={(t) => time(Number(t))}
            contentStyle={{ fontSize: 11 }}
          />
          <Area
            type="monotone"
            dataKey={field}
            stroke={color}
            fill={color}
            fillOpacity={0.2}
            isAnimationActive={false}
            name={label}
          />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

export default function UsageChart({ samples }: { samples: UsageSample[] }) {
  return (
    <div className="usage-charts">
      <Chart samples={samples} field="cpuCores" format={formatCores} color="var(--accent)" label="CPU" />
      <Chart samples={samples} field="memoryBytes" format={formatBytes} color="var(--ok)" label="Memory" />
    </div>
  );
}
