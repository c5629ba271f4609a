import { z } from 'zod';

// One schema for the settings of both the desktop app (electron-store) and the headless host (conf).
export const settingsSchema = z.object({
  kubernetesEnabled: z.boolean(),
  nodeCount: z.number().int().min(1).max(10),
  nodeCpus: z.number().min(0.5).max(64),
  nodeMemoryMiB: z.number().int().min(512).max(262_144),
  showSystemContainers: z.boolean(),
  exposeLoadBalancers: z.boolean(),
  autoLoadHostImages: z.boolean(),
  /** When the `kubedesk` context becomes kubectl's current context. */
  switchKubeContext: z.enum(['ifUnset', 'always', 'never']),
});

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  kubernetesEnabled: true,
  nodeCount: 3,
  nodeCpus: 2,
  nodeMemoryMiB: 2048,
  showSystemContainers: false,
  exposeLoadBalancers: true,
  autoLoadHostImages: true,
  switchKubeContext: 'ifUnset',
};

// No defaults here: a patch names only the keys it changes.
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
