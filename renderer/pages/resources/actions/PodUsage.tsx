import { UsagePanel } from '../../../components/usage/UsagePanel';
import { useTopic } from '../../../data/useTopic';

/** The pod's CPU and memory over the last minutes, from its node's kubelet. */
export function PodUsage({ namespace, name }: { namespace: string; name: string }) {
  const usage = useTopic('usage.pod', { namespace, name });
  return (
    <section className="pod-usage" aria-label="Usage">
      <UsagePanel series={usage?.pod} />
    </section>
  );
}
