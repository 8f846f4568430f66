import { ConsoleLogger, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bull';
import { EventEmitter } from 'node:events';
import { AppConfig, loadConfig } from '../../config/configuration';
import {
  SPEECH_SYNTHESIS_JOB_OPTIONS,
  SPEECH_SYNTHESIS_NOW_JOB_OPTIONS,
  SPEECH_SYNTHESIS_QUEUE,
  SYNTHESIZE_SPEECH_JOB,
} from '../queues';
import { SpeechSynthesisFailedError, SpeechSynthesisJob } from './speech-synthesis.job';
import {
  ENQUEUE_TIMEOUT_MS,
  MAX_SPEECH_TEXT_CHARS,
  SpeechSynthesisProducer,
  SYNTHESIZE_NOW_MAX_WAIT_MS,
} from './speech-synthesis.producer';
import { VoiceOwnerRegistry } from './voice-owner-registry.service';

/** The parts of a Bull queue the producer touches; results arrive as Bull's global events. */
class QueueDouble extends EventEmitter {
  add = jest.fn(async (_name: string, _data: unknown, opts?: { jobId?: string }) => ({ id: opts?.jobId ?? '1' }));
  remove = jest.fn(async () => undefined);
  getState = jest.fn(async () => 'waiting');
  getJob = jest.fn(async (id: string) => ({ id, remove: this.remove, getState: this.getState }));
  _registerEvent = jest.fn(async () => undefined);
}

const TIMEOUT_MS = 300;

describe(SpeechSynthesisProducer.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  let producer: SpeechSynthesisProducer;
  let queue: QueueDouble;
  let registry: VoiceOwnerRegistry;

  beforeEach(async () => {
    queue = new QueueDouble();
    const moduleRef = await Test.createTestingModule({
      providers: [
        SpeechSynthesisProducer,
        VoiceOwnerRegistry,
        { provide: getQueueToken(SPEECH_SYNTHESIS_QUEUE), useValue: queue },
        { provide: AppConfig, useValue: loadConfig({ TTS_TIMEOUT_MS: String(TIMEOUT_MS) }) },
      ],
    }).compile();
    await moduleRef.init();
    producer = moduleRef.get(SpeechSynthesisProducer);
    registry = moduleRef.get(VoiceOwnerRegistry);
  });

  /** Answers the next job added, as a worker would: over the queue's global events. */
  function answerNextJob(event: 'global:completed' | 'global:failed', payload: string): void {
    queue.add.mockImplementationOnce(async (_name, _data, opts) => {
      setImmediate(() => queue.emit(event, opts!.jobId, payload));
      return { id: opts!.jobId! };
    });
  }

  it('should enqueue the text and owner with the retrying job options and a stable job id of the owner', async () => {
    await producer.enqueue('群聊频道测试', { kind: 'secret-channel', id: '000000377' });
    expect(queue.add).toHaveBeenCalledWith(
      SYNTHESIZE_SPEECH_JOB,
      { text: '群聊频道测试', owner: { kind: 'secret-channel', id: '000000377' } },
      { ...SPEECH_SYNTHESIS_JOB_OPTIONS, jobId: 'voice-secret-channel-000000377' },
    );
    expect(SPEECH_SYNTHESIS_JOB_OPTIONS).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential' },
      removeOnFail: false,
    });
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n'],
    ['too long', '长'.repeat(MAX_SPEECH_TEXT_CHARS + 1)],
  ])('should refuse %s text without queueing anything', async (_what, text) => {
    await expect(producer.enqueue(text, { kind: 'k', id: '1' })).rejects.toThrow(SpeechSynthesisFailedError);
    await expect(producer.synthesizeNow(text)).rejects.toThrow(SpeechSynthesisFailedError);
    expect(queue.add).not.toHaveBeenCalled();
  });

  it('should refuse an owner without kind or id', async () => {
    await expect(producer.enqueue('你好', { kind: '', id: '1' })).rejects.toThrow('owner kind and id are required');
    await expect(producer.enqueue('你好', { kind: 'k', id: '' })).rejects.toThrow('owner kind and id are required');
    expect(queue.add).not.toHaveBeenCalled();
  });

  it('should fail enqueue with the typed error when the queue does not answer', async () => {
    jest.useFakeTimers();
    try {
      queue.add.mockImplementationOnce(() => new Promise(() => undefined));
      const pending = producer.enqueue('你好', { kind: 'k', id: '1' });
      jest.advanceTimersByTime(ENQUEUE_TIMEOUT_MS);
      await expect(pending).rejects.toThrow(
        `speech synthesis failed: could not queue: queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('should add a single-attempt job with a deadline and resolve with the clip the worker reports', async () => {
    answerNextJob('global:completed', JSON.stringify({ clipId: 'a'.repeat(32), url: 'http://x/media/voice/a.amr' }));
    const before = Date.now();
    await expect(producer.synthesizeNow('微频道测试')).resolves.toEqual({
      clipId: 'a'.repeat(32),
      url: 'http://x/media/voice/a.amr',
    });
    const [name, data, opts] = queue.add.mock.calls[0] as [
      string,
      { text: string; notAfter: number },
      { jobId: string; attempts: number },
    ];
    expect(name).toBe(SYNTHESIZE_SPEECH_JOB);
    expect(data.text).toBe('微频道测试');
    expect(data.notAfter).toBeGreaterThanOrEqual(before + TIMEOUT_MS);
    expect(data.notAfter).toBeLessThanOrEqual(Date.now() + TIMEOUT_MS);
    expect(opts).toMatchObject({
      ...SPEECH_SYNTHESIS_NOW_JOB_OPTIONS,
      attempts: 1,
      jobId: expect.stringMatching(/^now-[0-9a-f-]{36}$/),
    });
  });

  it('should never wait longer than a partner request allows, whatever TTS_TIMEOUT_MS says', async () => {
    const slowQueue = new QueueDouble();
    const moduleRef = await Test.createTestingModule({
      providers: [
        SpeechSynthesisProducer,
        VoiceOwnerRegistry,
        { provide: getQueueToken(SPEECH_SYNTHESIS_QUEUE), useValue: slowQueue },
        { provide: AppConfig, useValue: loadConfig({ TTS_TIMEOUT_MS: '10000' }) },
      ],
    }).compile();
    await moduleRef.init();
    let addedAt = 0;
    slowQueue.add.mockImplementationOnce(async (_name, _data, opts) => {
      addedAt = Date.now();
      return { id: opts!.jobId! };
    });
    const before = Date.now();
    await expect(moduleRef.get(SpeechSynthesisProducer).synthesizeNow('微频道慢')).rejects.toThrow(
      SpeechSynthesisFailedError,
    );
    const waited = Date.now() - before;
    expect(waited).toBeGreaterThanOrEqual(SYNTHESIZE_NOW_MAX_WAIT_MS - 50);
    // Inside the 5 s a partner answer allows, with room for a busy machine's late timers.
    expect(waited).toBeLessThan(SYNTHESIZE_NOW_MAX_WAIT_MS + 900);
    const [, data] = slowQueue.add.mock.calls[0] as [string, { notAfter: number }];
    expect(data.notAfter).toBeLessThanOrEqual(addedAt + SYNTHESIZE_NOW_MAX_WAIT_MS);
  });

  it('should ignore results of other jobs while waiting', async () => {
    queue.add.mockImplementationOnce(async (_name, _data, opts) => {
      setImmediate(() => {
        queue.emit('global:completed', 'now-someone-else', JSON.stringify({ clipId: 'b'.repeat(32), url: 'u-other' }));
        queue.emit('global:completed', opts!.jobId, JSON.stringify({ clipId: 'c'.repeat(32), url: 'u-mine' }));
      });
      return { id: opts!.jobId! };
    });
    await expect(producer.synthesizeNow('你好')).resolves.toEqual({ clipId: 'c'.repeat(32), url: 'u-mine' });
  });

  it('should turn a failed job into SpeechSynthesisFailedError with its reason', async () => {
    answerNextJob('global:failed', 'espeak driver: sox exited with code 2');
    await expect(producer.synthesizeNow('你好')).rejects.toThrow(
      new SpeechSynthesisFailedError('espeak driver: sox exited with code 2'),
    );
  });

  it('should fail with the typed error on a completed job without a clip', async () => {
    answerNextJob('global:completed', 'null');
    await expect(producer.synthesizeNow('你好')).rejects.toThrow(SpeechSynthesisFailedError);
  });

  it('should time out into the typed error and remove the job it gave up on', async () => {
    const started = Date.now();
    await expect(producer.synthesizeNow('你好')).rejects.toThrow(
      new SpeechSynthesisFailedError(`no result within ${TIMEOUT_MS} ms`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    const jobId = (queue.add.mock.calls[0][2] as { jobId: string }).jobId;
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.getJob).toHaveBeenCalledWith(jobId);
    expect(queue.remove).toHaveBeenCalledTimes(1);
  });

  it('should leave a job that already started to its deadline when timing out', async () => {
    queue.getState.mockResolvedValueOnce('active');
    await expect(producer.synthesizeNow('你好')).rejects.toThrow(SpeechSynthesisFailedError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.getState).toHaveBeenCalled();
    expect(queue.remove).not.toHaveBeenCalled();
  });

  it('should subscribe to results again when the subscription at start failed', async () => {
    const fresh = new QueueDouble();
    fresh._registerEvent.mockRejectedValueOnce(new Error('Connection is closed.'));
    const late = new SpeechSynthesisProducer(
      fresh as unknown as Queue<SpeechSynthesisJob>,
      new VoiceOwnerRegistry(),
      loadConfig({ TTS_TIMEOUT_MS: String(TIMEOUT_MS) }),
    );
    late.onModuleInit();
    await new Promise((resolve) => setImmediate(resolve));
    fresh.add.mockImplementationOnce(async (_name, _data, opts) => {
      setImmediate(() =>
        fresh.emit('global:completed', opts!.jobId, JSON.stringify({ clipId: 'd'.repeat(32), url: 'u' })),
      );
      return { id: opts!.jobId! };
    });
    await expect(late.synthesizeNow('你好')).resolves.toEqual({ clipId: 'd'.repeat(32), url: 'u' });
    expect(fresh._registerEvent).toHaveBeenCalledTimes(4);
  });

  it('should fail with the typed error when the queue rejects the job', async () => {
    queue.add.mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(producer.synthesizeNow('你好')).rejects.toThrow(
      new SpeechSynthesisFailedError('Connection is closed.'),
    );
  });

  it('should register owner writers by kind and refuse a second writer for the same kind', async () => {
    const writer = jest.fn(async () => true);
    producer.registerOwnerWriter('secret-channel', writer);
    registry.onApplicationBootstrap();
    await expect(registry.writerOf('secret-channel')).resolves.toBe(writer);
    expect(() => producer.registerOwnerWriter('secret-channel', writer)).toThrow('already registered');
    expect(() => producer.registerOwnerWriter('has space', writer)).toThrow('printable ASCII');
  });
});
