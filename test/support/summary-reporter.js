/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that CI tooling reads whatever the runner.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const engine = process.env.TEST_ENGINE_DESCRIPTION;
    if (engine) process.stdout.write(`engine: ${engine}\n`);
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
