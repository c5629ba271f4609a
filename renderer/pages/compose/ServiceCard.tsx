import type {
  ComposeProgressView,
  ComposeServiceView,
  ComposeUpResultView,
} from '../../../main/host/compose/composeContract';
import { YamlView } from '../../components/YamlView';

type ServiceResult = ComposeUpResultView['services'][number];

/** One compose service: its objects' YAML, the warnings about it beside them, and how its deploy goes. */
export function ServiceCard(props: {
  view: ComposeServiceView;
  progress?: ComposeProgressView;
  result?: ServiceResult;
}) {
  const { view, progress, result } = props;
  return (
    <section className="compose-service" data-service={view.service} aria-label={`service ${view.service}`}>
      <header className="compose-service-header">
        <h2>{view.service === 'shared' ? 'Shared by the project' : view.service}</h2>
        <DeployState progress={progress} result={result} />
      </header>
      <div className="compose-service-body">
        <div className="compose-objects">
          {view.objects.length === 0 && <p className="muted">No objects.</p>}
          {view.objects.map((object) => (
            <details className="compose-object" key={`${object.kind}/${object.name}`} open>
              <summary>
                <span className="compose-object-title">
                  <strong>{object.kind}</strong> {object.name}
                </span>
                {object.namespace && object.kind !== 'Namespace' && (
                  <span className="muted"> in {object.namespace}</span>
                )}
              </summary>
              <YamlView yaml={object.yaml} label={`${object.kind} ${object.name}`} />
            </details>
          ))}
        </div>
        <aside className="compose-warnings" aria-label={`warnings for ${view.service}`}>
          {view.warnings.length === 0 ? (
            <p className="muted">Nothing lost in conversion.</p>
          ) : (
            <ul>
              {view.warnings.map((w) => (
                <li key={`${w.key ?? ''}:${w.message}`} className="compose-warning">
                  {w.message}
                  {!w.kompose && <small className="muted"> (kompose drops this silently)</small>}
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}

function DeployState({ progress, result }: { progress?: ComposeProgressView; result?: ServiceResult }) {
  if (result) {
    return (
      <div className={`compose-state compose-state-${result.state}`} data-state={result.state}>
        <strong>{result.state}</strong> {result.message}
        {result.addresses.length > 0 && (
          <span className="compose-addresses">
            {' · '}
            {result.addresses.map((address, i) => (
              <span key={address}>
                {i > 0 && ', '}
                {address.startsWith('http://') ? (
                  <a href={address} target="_blank" rel="noreferrer">
                    {address}
                  </a>
                ) : (
                  address
                )}
              </span>
            ))}
          </span>
        )}
        {result.state !== 'failed' && (
          <a href="#/workloads" className="compose-link">
            Workloads
          </a>
        )}
      </div>
    );
  }
  if (!progress) return null;
  return (
    <div className={`compose-state compose-state-${progress.state}`} data-state={progress.state}>
      <strong>
        {progress.phase} {progress.state}
      </strong>{' '}
      {progress.error ?? progress.message}
    </div>
  );
}
