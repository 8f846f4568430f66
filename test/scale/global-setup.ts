import 'reflect-metadata';
import e2eGlobalSetup from '../global-setup';

/** Once per scale run: the test database from the migrations, and the service built into dist/ (what production runs). */
export default async function globalSetup(): Promise<void> {
  // The e2e setup: the test database, and dist/ built when src/ is newer.
  await e2eGlobalSetup();
}
