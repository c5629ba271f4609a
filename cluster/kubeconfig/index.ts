export {
  type BuildKubeconfigOptions,
  buildKubeconfig,
  buildKubeconfigEntry,
  type Kubeconfig,
  type KubeconfigEntry,
  writeKubeconfig,
} from './buildKubeconfig';
export {
  KubeconfigFileError,
  type MergeOptions,
  mergeIntoUserKubeconfig,
  type RemoveOptions,
  removeFromUserKubeconfig,
  resolveUserKubeconfigPath,
} from './userKubeconfig';
