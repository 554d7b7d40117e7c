// Runs the test suite with a JSON report and prints the plain closing line CI reads:
//   tests: N passed, N failed, N skipped
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = 'test-results.json';
rmSync(report, { force: true });
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: 'inherit' });
if (!existsSync(report)) {
  console.log('tests: 0 passed, 1 failed, 0 skipped');
  process.exit(r.status || 1);
}
const j = JSON.parse(readFileSync(report, 'utf8'));
const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
console.log(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
process.exit(j.success && j.numTotalTests > 0 && r.status === 0 ? 0 : 1);
