import Conf, { type Schema } from 'conf';
import { z } from 'zod';
import {
  defaultSettings,
  type Settings,
  type SettingsPatch,
  settingsPatchSchema,
  settingsSchema,
} from './settings';

// Settings persistence. The desktop app passes an electron-store instance, the headless host a
// `conf` one (electron-store is built on conf), so both read and write the same file format with
// the same schema.

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
}

/** conf's per-key JSON schema, derived from the zod schema so there is only one definition. */
export function settingsJsonSchema(): Schema<Settings> {
  const schema = z.toJSONSchema(settingsSchema, { target: 'draft-7' }) as unknown as {
    properties: Schema<Settings>;
  };
  return schema.properties;
}

export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
  readonly code = 'InvalidSettingsFile';
}

export function settingsStoreFrom(conf: Conf<Settings>): SettingsStore {
  const listeners = new Set<(settings: Settings) => void>();
  const read = (): Settings => settingsSchema.parse({ ...defaultSettings, ...conf.store });
  return {
    get: read,
    update(patch) {
      const checked = settingsPatchSchema.parse(patch);
      const next = settingsSchema.parse({ ...read(), ...checked });
      conf.set(next);
      for (const listener of listeners) listener(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The headless host's settings file, `<dataDir>/settings.json`. */
export function openConfSettings(dataDir: string): SettingsStore {
  try {
    const conf = new Conf<Settings>({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'kubedesk',
      schema: settingsJsonSchema(),
      defaults: defaultSettings,
    });
    return settingsStoreFrom(conf);
  } catch (err) {
    // conf refuses a file it cannot parse or validate; say which file instead of resetting it.
    throw new SettingsFileError(`${dataDir}/settings.json: ${(err as Error).message}`, { cause: err });
  }
}
