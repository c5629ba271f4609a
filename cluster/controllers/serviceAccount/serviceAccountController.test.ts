// Every active namespace has its `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { rootCaConfigMapName, rootCaPublisher } from './rootCaPublisher';
import { serviceAccountController } from './serviceAccountController';

const caCert = '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n';
let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([serviceAccountController, rootCaPublisher(caCert)]);
});

afterEach(async () => {
  await h.stop();
});

const accounts = () => h.ctx.client.resource(resources.serviceAccounts);
const configMaps = () => h.ctx.client.resource(resources.configMaps);

describe('service accounts and the root CA', () => {
  it('gives the system namespaces and new ones a default ServiceAccount and the CA', async () => {
    await h.ctx.client.resource(resources.namespaces).create({ metadata: { name: 'team' } });
    for (const ns of ['default', 'kube-system', 'team']) {
      await eventually(() => accounts().get(ns, 'default'), 10_000, `default SA in ${ns}`);
      const cm = await eventually(() => configMaps().get(ns, rootCaConfigMapName), 10_000, `CA in ${ns}`);
      expect(cm.data).toEqual({ 'ca.crt': caCert });
      expect(cm.metadata?.annotations?.['kubernetes.io/description']).toContain('kube-apiserver');
    }
  });

  it('re-creates the default ServiceAccount and the CA ConfigMap when deleted', async () => {
    const first = await eventually(() => accounts().get('default', 'default'));
    await accounts().delete('default', 'default');
    const again = await eventually(async () => {
      const sa = await accounts().get('default', 'default');
      return sa && sa.metadata?.uid !== first.metadata?.uid ? sa : undefined;
    });
    expect(again.metadata?.name).toBe('default');
    await eventually(() => configMaps().get('default', rootCaConfigMapName));
    await configMaps().delete('default', rootCaConfigMapName);
    await eventually(() => configMaps().get('default', rootCaConfigMapName), 10_000, 'CA re-created');
  });

  it('restores an edited CA ConfigMap', async () => {
    await eventually(() => configMaps().get('default', rootCaConfigMapName));
    await configMaps().mutate('default', rootCaConfigMapName, (cm) => {
      cm.data = { 'ca.crt': 'tampered' };
      return cm;
    });
    await eventually(
      async () => (await configMaps().get('default', rootCaConfigMapName))?.data?.['ca.crt'] === caCert,
      10_000,
      'CA restored',
    );
  });
});
