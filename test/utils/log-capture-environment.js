/**
 * Jest environment that keeps the service's log lines of each test (pushed by test/utils/captured-logs.ts)
 * and prints them only when that test, or a hook, fails: a green run stays quiet, a red one explains itself.
 */
const { TestEnvironment } = require('jest-environment-node');

class LogCaptureEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__capturedLogs = [];
  }

  async handleTestEvent(event) {
    const logs = this.global.__capturedLogs;
    if (event.name === 'hook_failure' || (event.name === 'test_done' && event.test.errors.length > 0)) {
      const where = event.name === 'hook_failure' ? `${event.hook.type} hook` : testName(event.test);
      if (logs.length > 0) {
        process.stderr.write(`\n--- service log of the failed ${where} ---\n${logs.join('')}--- end of log ---\n`);
      }
    }
    if (event.name === 'test_done' || event.name === 'hook_failure') {
      logs.length = 0;
    }
  }
}

function testName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) {
    names.unshift(block.name);
  }
  return `test "${names.join(' › ')}"`;
}

module.exports = LogCaptureEnvironment;
