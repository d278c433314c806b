/**
 * A test-runner reporter writing pass/fail/skip totals as JSON, `{ passed, failed, skipped, files,
 * fileErrors }`, for `.ci/test.mjs` (which sets `CELLULE_WTR_RESULTS` to the file). A file that failed
 * outside any test (did not load, uncaught error, timeout) counts as one failure.
 */
import fs from "node:fs";
import path from "node:path";

/** The reporter writing to `file`, at the end of every run (and on stop). */
export function resultsFileReporter(file) {
  const write = (sessions) => {
    const totals = { passed: 0, failed: 0, skipped: 0, files: 0, fileErrors: 0 };
    const count = (suite) => {
      let failed = 0;
      for (const test of suite?.tests ?? []) {
        if (test.skipped) totals.skipped++;
        else if (test.passed) totals.passed++;
        else failed++;
      }
      for (const child of suite?.suites ?? []) failed += count(child);
      return failed;
    };
    for (const session of sessions) {
      totals.files++;
      const failedTests = count(session.testResults);
      totals.failed += failedTests;
      if (session.passed === false && failedTests === 0) {
        totals.failed++;
        totals.fileErrors++;
      }
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(totals));
  };
  return {
    onTestRunFinished({ sessions }) {
      write(sessions);
    },
    stop({ sessions }) {
      write(sessions);
    },
  };
}
