import { defineConfig } from 'vitest/config';

// Three projects so CI and people can pick: fast unit tests, tests that need a Docker
// engine (`*.docker.test.ts`), and end-to-end tests driving the built app (`e2e/`).
export default defineConfig({
  test: {
    // kubectl and helm for the tests that drive the real clients, unpacked once per run.
    globalSetup: ['cluster/api/testing/kubeToolsSetup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,preload,renderer,cluster,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.docker.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['{main,cluster}/**/*.docker.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
