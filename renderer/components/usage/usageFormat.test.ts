import { describe, expect, it } from 'vitest';
import { formatBytes, formatCores } from './usageFormat';

describe('usage figures', () => {
  it('shows millicores below one core', () => {
    expect(formatCores(0.0125)).toBe('13m');
    expect(formatCores(1.5)).toBe('1.50 cores');
  });
  it('shows memory in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(48 * 1024 * 1024)).toBe('48.0 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
