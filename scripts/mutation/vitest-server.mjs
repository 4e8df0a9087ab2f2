// One vitest per copy of the project, kept running for the whole mutation check: each request
// (an IPC message: the process is forked) names a test file, a test-name pattern and the files the mutant changed
// since the last request; vitest forgets those files' transforms, runs the matching tests in a
// fresh worker (isolated, as `vitest run` does) and answers with each test's outcome
// and its errors' messages. Starting vitest once per copy instead of once per check saves its
// start-up and the transforms of every unchanged file.
// Usage (cwd: the copy): fork('scripts/mutation/vitest-server.mjs')
import { resolve } from 'node:path';
import { createVitest } from 'vitest/node';

// Every run in a fresh module registry: a worker that kept its modules would run a file as it was.
process.env.VAULT_TEST_ISOLATE = '1';
const vitest = await createVitest('test', { watch: false, reporters: [] });
await vitest.standalone();
process.send({ ready: true });

// One request at a time: the orchestrator waits for each answer before it sends the next.
process.on('message', async ({ file, pattern, changed }) => {
  for (const path of changed) vitest.invalidateFile(resolve(path));
  vitest.setGlobalTestNamePattern(new RegExp(pattern));
  const moduleId = resolve(file);
  const project = vitest.projects.find((p) => p.matchesTestGlob(moduleId));
  const run = await vitest.runTestSpecifications([project.createSpecification(moduleId)]);
  // The run's answer also holds the files of earlier runs: this file's alone is this run's.
  const testModules = run.testModules.filter((module) => module.moduleId === moduleId);
  const tests = testModules.flatMap((module) =>
    [...module.children.allTests()].map((test) => {
      const result = test.result();
      return {
        name: test.fullName,
        title: test.name,
        state: result.state,
        errors: result.state === 'failed' ? result.errors.map((e) => e.message) : [],
      };
    }),
  );
  const loadErrors = testModules.flatMap((module) => module.errors().map((e) => e.message));
  process.send({ tests, loadErrors });
});
process.on('disconnect', () => void vitest.close().finally(() => process.exit(0)));
