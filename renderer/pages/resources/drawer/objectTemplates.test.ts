import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../../../../cluster/api/testing/testApiServer';
import { builtinCatalog } from '../../../../cluster/registry/builtinResources';
import { createApiServerClient } from '../../../../main/host/clusterView/apiServerClient';
import { type ApplyManifestsOptions, applyManifests } from '../../../../main/host/clusterView/applyManifests';
import type { ViewResource } from '../../../../main/host/clusterView/clusterViewContract';
import { objectTemplate } from './objectTemplates';

// Every "Create" template is an object the API server accepts as it stands.

const creatable: ViewResource[] = [
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'services',
  'ingresses',
  'networkpolicies',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'namespaces',
];

describe('create templates', () => {
  let server: TestApiServer;
  let options: ApplyManifestsOptions;

  beforeAll(async () => {
    server = await startTestApiServer();
    options = {
      client: createApiServerClient({
        server: `https://127.0.0.1:${server.port}`,
        ca: server.pki.caCert,
        cert: server.pki.adminCert,
        key: server.pki.adminKey,
      }),
      resolve: (apiVersion, kind) => builtinCatalog.forKind(apiVersion, kind),
    };
  });
  afterAll(() => server?.stop());

  it.each(creatable)('%s: the template applies in the page namespace', async (resource) => {
    const result = await applyManifests({ yaml: objectTemplate(resource, 'default') }, options);
    expect(result).toMatchObject({ ok: true, applied: [{ name: 'example', outcome: 'created' }] });
    expect(result.ok && result.applied[0]?.namespace).toBe(resource === 'namespaces' ? undefined : 'default');
  });
});
