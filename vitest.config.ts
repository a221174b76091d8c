import { defineConfig } from "vitest/config";

// CI asks for a JSON report too, so .ci/run can print the closing `tests:` line.
const jsonReport = process.env.REPOL_TEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Test files start servers and databases; two workers match the 2-core machines we run on.
    maxWorkers: 2,
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});
