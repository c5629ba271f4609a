import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './dataDir';

describe('defaultDataDir', () => {
  it('follows each platform’s app-data folder, as Electron’s userData does', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/kubedesk');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/kubedesk');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/kubedesk',
    );
    expect(defaultDataDir('win32', { APPDATA: 'C:/Users/ana/AppData/Roaming' }, 'C:/Users/ana')).toBe(
      'C:/Users/ana/AppData/Roaming/kubedesk',
    );
  });
});
