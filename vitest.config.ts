import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Test files start servers and databases; two workers match the 2-core machines we run on.
    maxWorkers: 2,
  },
});
