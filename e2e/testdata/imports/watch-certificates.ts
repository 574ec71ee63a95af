/**
 * Watches cert-manager Certificates through the typed informer `kubeforge import` generated
 * (the same informer and lister owned kinds get), printing one line per event.
 */
import { createSharedInformerFactory, loadKubeConfig } from '@kubeforge/runtime';
import { certificateInformer } from './imports/cert-manager.io/v1/certificate.client.ts';

const factory = createSharedInformerFactory({ kubeConfig: loadKubeConfig() });
const { informer, lister } = certificateInformer(factory);
informer.addEventHandler({
  add: (certificate) => {
    const { namespace = '', name = '' } = certificate.metadata;
    const { secretName, issuerRef } = certificate.spec;
    console.log(`added ${namespace}/${name}: secret ${secretName}, issuer ${issuerRef.name}`);
  },
  update: (_old, certificate) => {
    console.log(`updated ${certificate.metadata.namespace ?? ''}/${certificate.metadata.name ?? ''}`);
  },
  delete: (certificate) => {
    console.log(`deleted ${certificate.metadata.namespace ?? ''}/${certificate.metadata.name ?? ''}`);
  },
});
factory.start();
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
if (await factory.waitForCacheSync(stop.signal)) console.log(`synced: ${lister.list().length} certificate(s)`);
await new Promise((resolve) => stop.signal.addEventListener('abort', resolve));
await factory.stop();
