import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMR_NB_MAGIC, checkAmrNb } from '../../common/audio/amr';
import { EspeakTtsClient } from './espeak-tts.client';
import { TtsError } from './tts.client';

/** Runs the real espeak-ng and sox, except where a test swaps one for a stand-in shell script. */
describe(EspeakTtsClient.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'espeak-spec-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function script(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** Runs a program in a process group of its own and collects how it ended. */
  function runDetached(
    program: string,
  ): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', program], {
        cwd: join(__dirname, '../../..'),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  it('should turn Chinese text into a valid AMR-NB clip', async () => {
    const clip = await new EspeakTtsClient().synthesize('群聊频道测试', 10000);
    expect(clip.subarray(0, 6)).toEqual(AMR_NB_MAGIC);
    expect(checkAmrNb(clip)).toMatchObject({ valid: true });
  });

  it('should speak text that starts with "-" instead of reading it as options', async () => {
    const target = join(dir, 'out.wav');
    const clip = await new EspeakTtsClient().synthesize(`-w ${target} --version`, 10000);
    expect(checkAmrNb(clip)).toMatchObject({ valid: true });
    expect(existsSync(target)).toBe(false);
  });

  it('should speak quotes, newlines and shell syntax as plain text', async () => {
    const marker = join(dir, 'pwned');
    const text = `'"; touch ${marker}; echo "\n$(touch ${marker})\n\`touch ${marker}\` | rm -rf ${dir} &&`;
    const clip = await new EspeakTtsClient().synthesize(text, 10000);
    expect(checkAmrNb(clip)).toMatchObject({ valid: true });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });

  it('should pass the text on stdin and never on the command line', async () => {
    const espeak = script('espeak', `printf '%s\\n' "$@" > ${dir}/args; cat > ${dir}/stdin; exit 3`);
    const text = '微频道 "x" \n-v en';
    await expect(new EspeakTtsClient({ espeakCommand: espeak }).synthesize(text, 5000)).rejects.toThrow(TtsError);
    expect(readFileSync(join(dir, 'args'), 'utf8')).toBe('-v\ncmn\n--stdin\n--stdout\n');
    expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe(text);
  });

  it('should kill both processes when the timeout passes', async () => {
    const espeak = script('espeak', `echo $$ > ${dir}/espeak.pid; exec sleep 30`);
    const sox = script('sox', `echo $$ > ${dir}/sox.pid; exec sleep 30`);
    const started = Date.now();
    await expect(
      new EspeakTtsClient({ espeakCommand: espeak, soxCommand: sox }).synthesize('你好', 400),
    ).rejects.toThrow('espeak driver: timed out after 400 ms');
    expect(Date.now() - started).toBeLessThan(3000);
    const pids = ['espeak.pid', 'sox.pid'].map((f) => Number(readFileSync(join(dir, f), 'utf8')));
    expect(pids.every((pid) => pid > 0)).toBe(true);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('should put the failing tool and its stderr into the error and stop the other tool', async () => {
    // espeak-ng fails only once sox is running (its pid file is written whole, by a rename), so the test can
    // tell that sox was stopped rather than never started.
    const espeak = script(
      'espeak',
      `while [ ! -f ${dir}/sox.pid ]; do sleep 0.01; done; echo "Error: voice does not exist" >&2; exit 1`,
    );
    const sox = script('sox', `echo $$ > ${dir}/sox.tmp; mv ${dir}/sox.tmp ${dir}/sox.pid; exec sleep 30`);
    await expect(
      new EspeakTtsClient({ espeakCommand: espeak, soxCommand: sox }).synthesize('你好', 5000),
    ).rejects.toThrow('espeak driver: espeak-ng exited with code 1: Error: voice does not exist');
    expect(isAlive(Number(readFileSync(join(dir, 'sox.pid'), 'utf8')))).toBe(false);
  });

  it('should report sox failing on what espeak-ng produced', async () => {
    const espeak = script('espeak', 'cat > /dev/null; echo "not a wav file"');
    await expect(new EspeakTtsClient({ espeakCommand: espeak }).synthesize('你好', 5000)).rejects.toThrow(
      /espeak driver: sox exited with code 2: .*RIFF header not found/,
    );
  });

  it('should fail when a tool is not installed', async () => {
    await expect(new EspeakTtsClient({ espeakCommand: join(dir, 'missing') }).synthesize('你好', 5000)).rejects.toThrow(
      /espeak driver: espeak-ng could not start: spawn .*missing ENOENT/,
    );
  });

  // Run in a process group of its own: the defect this guards against killed the whole group (kill(0)).
  it.each([
    [
      'both tools are missing',
      'missing-espeak',
      'missing-sox',
      /espeak-ng could not start: spawn .*missing-espeak ENOENT/,
    ],
    ['sox is missing', '', 'missing-sox', /sox could not start: spawn .*missing-sox ENOENT/],
    ['a tool is not executable', 'not-executable', '', /could not start: spawn .*not-executable EACCES/],
  ])(
    'should only fail the job, never signal the process group, when %s',
    async (_case, espeakName, soxName, reason) => {
      writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\nexit 0\n');
      const options = JSON.stringify({
        ...(espeakName ? { espeakCommand: join(dir, espeakName) } : {}),
        ...(soxName ? { soxCommand: join(dir, soxName) } : {}),
      });
      const program = `
      const { EspeakTtsClient } = require(${JSON.stringify(join(__dirname, 'espeak-tts.client.ts'))});
      const client = new EspeakTtsClient(${options});
      Promise.allSettled([client.synthesize('你好', 5000), client.synthesize('再见', 5000)]).then((results) => {
        setTimeout(() => { console.log(JSON.stringify(results.map((r) => r.reason && r.reason.message))); }, 300);
      });`;
      const run = await runDetached(program);
      expect({ signal: run.signal, code: run.code, stderr: run.stderr }).toEqual({ signal: null, code: 0, stderr: '' });
      const messages = JSON.parse(run.stdout.trim()) as string[];
      expect(messages).toHaveLength(2);
      for (const message of messages) {
        expect(message).toMatch(reason);
      }
    },
  );

  it('should fail when the clip exceeds the size limit', async () => {
    await expect(new EspeakTtsClient({ maxOutputBytes: 100 }).synthesize('群聊频道测试', 10000)).rejects.toThrow(
      'espeak driver: output larger than 100 bytes',
    );
  });
});
