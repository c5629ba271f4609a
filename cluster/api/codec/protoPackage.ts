// Maps an apiVersion to the protobuf package of its messages, per the GroupName constants of
// k8s.io/api (see ../shared/kubernetes-proto/README.md §1).
const apiextensionsPrefix = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions';
export const metaV1Package = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export function protoPackageFor(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (group === 'apiextensions.k8s.io') return `${apiextensionsPrefix}.${version}`;
  if (group === '') return `k8s.io.api.core.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `k8s.io.api.apiserverinternal.${version}`;
  if (group === 'flowcontrol.apiserver.k8s.io') return `k8s.io.api.flowcontrol.${version}`;
  if (group === 'rbac.authorization.k8s.io') return `k8s.io.api.rbac.${version}`;
  // Every other group is its first DNS label: apps, batch, networking.k8s.io -> networking, ...
  return `k8s.io.api.${group.split('.')[0]}.${version}`;
}

/** The .proto file (relative to the include root) that declares a package's messages. */
export function protoFileFor(pkg: string): string {
  if (pkg.startsWith(apiextensionsPrefix)) {
    return `k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/${pkg.slice(apiextensionsPrefix.length + 1)}/generated.proto`;
  }
  return `${pkg.replaceAll('.', '/').replace(/^k8s\/io/, 'k8s.io')}/generated.proto`;
}
