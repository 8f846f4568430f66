import { parseImportArgs } from './import-args';

describe(parseImportArgs.name, () => {
  const source = 'mysql://reader@old-db:3306/WEMECustom';

  it('should take every option', () => {
    expect(
      parseImportArgs(
        ['--source', source, '--redis-source', 'redis://old:6379/0', '--dry-run', '--batch-size', '500', '--no-voice'],
        true,
      ),
    ).toEqual({
      options: {
        source,
        redisSource: 'redis://old:6379/0',
        dryRun: true,
        batchSize: 500,
        voice: false,
        progress: true,
      },
      reportJson: undefined,
    });
  });

  it('should draw progress only on a terminal unless told', () => {
    expect(parseImportArgs(['--source', source], false)).toMatchObject({ options: { progress: false } });
    expect(parseImportArgs(['--source', source, '--progress'], false)).toMatchObject({ options: { progress: true } });
    expect(parseImportArgs(['--source', source, '--no-progress'], true)).toMatchObject({
      options: { progress: false },
    });
  });

  it.each([
    [[], '--source must be a mysql:// URL of the original WEMECustom database'],
    [['--source', 'postgres://x'], '--source must be a mysql:// URL of the original WEMECustom database'],
    [['--source'], '--source needs a value'],
    [['--source', source, '--redis-source', 'http://x'], '--redis-source must be a redis:// URL'],
    [['--source', source, '--batch-size', '0'], '--batch-size must be an integer 1-20000'],
    [['--source', source, '--report-json', '--dry-run'], '--report-json needs a value'],
    [['--source', source, '--force'], 'unknown option --force'],
  ])('should refuse %j', (argv, complaint) => {
    expect(parseImportArgs(argv, false)).toBe(complaint);
  });
});
