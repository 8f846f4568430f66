import 'reflect-metadata';
import { join } from 'node:path';
import e2eGlobalSetup from '../global-setup';
import { run } from '../utils/child-process';

/** Once per scale run: the test database from the migrations, and the service built into dist/ (what production runs). */
export default async function globalSetup(): Promise<void> {
  await e2eGlobalSetup();
  await run('npx', ['nest', 'build'], { cwd: join(__dirname, '..', '..') });
}
