import { ConsoleLogger, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { loadConfig } from '../../config/configuration';
import { SpeechSynthesisJob } from './speech-synthesis.job';
import { SpeechSynthesisProcessor } from './speech-synthesis.processor';
import { TtsError } from './tts.client';
import { VoiceClipService } from './voice-clip.service';
import { VoiceOwnerRegistry } from './voice-owner-registry.service';

const CLIP_ID = 'ab'.repeat(16);
const CLIP_URL = `http://media.test/media/voice/${CLIP_ID}.amr`;

describe(SpeechSynthesisProcessor.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  let tts: { driver: 'espeak'; synthesize: jest.Mock };
  let clips: { findByText: jest.Mock; store: jest.Mock; urlOf: jest.Mock };
  let owners: VoiceOwnerRegistry;
  let processor: SpeechSynthesisProcessor;

  beforeEach(() => {
    tts = { driver: 'espeak', synthesize: jest.fn(async () => Buffer.from('#!AMR\n')) };
    clips = {
      findByText: jest.fn(async () => null),
      store: jest.fn(async () => ({ id: CLIP_ID, durationMs: 1140 })),
      urlOf: jest.fn((id: string) => `http://media.test/media/voice/${id}.amr`),
    };
    owners = new VoiceOwnerRegistry();
    owners.onApplicationBootstrap();
    processor = new SpeechSynthesisProcessor(
      tts,
      clips as unknown as VoiceClipService,
      owners,
      loadConfig({ TTS_TIMEOUT_MS: '5000' }),
    );
  });

  function job(data: SpeechSynthesisJob): Job<SpeechSynthesisJob> & { discard: jest.Mock } {
    return {
      id: '7',
      data,
      attemptsMade: 0,
      opts: { attempts: 3 },
      discard: jest.fn(),
    } as unknown as Job<SpeechSynthesisJob> & {
      discard: jest.Mock;
    };
  }

  it('should synthesise, store and return the clip when the text is new', async () => {
    await expect(processor.synthesize(job({ text: '群聊频道测试' }))).resolves.toEqual({
      clipId: CLIP_ID,
      url: CLIP_URL,
    });
    expect(tts.synthesize).toHaveBeenCalledWith('群聊频道测试', 5000);
    expect(clips.store).toHaveBeenCalledWith('espeak', '群聊频道测试', Buffer.from('#!AMR\n'));
  });

  it('should reuse the stored clip of the same text without synthesising again', async () => {
    clips.findByText.mockResolvedValueOnce({ id: CLIP_ID, durationMs: 1140 });
    await expect(processor.synthesize(job({ text: '群聊频道测试' }))).resolves.toEqual({
      clipId: CLIP_ID,
      url: CLIP_URL,
    });
    expect(clips.findByText).toHaveBeenCalledWith('espeak', '群聊频道测试');
    expect(tts.synthesize).not.toHaveBeenCalled();
    expect(clips.store).not.toHaveBeenCalled();
  });

  it('should write the clip URL to the owning row through the registered writer', async () => {
    const writer = jest.fn(async () => true);
    owners.register('secret-channel', writer);
    await processor.synthesize(job({ text: '群聊频道测试', owner: { kind: 'secret-channel', id: '000000377' } }));
    expect(writer).toHaveBeenCalledWith('000000377', CLIP_URL);
  });

  it('should complete without error when the owning row is gone', async () => {
    owners.register(
      'secret-channel',
      jest.fn(async () => false),
    );
    const j = job({ text: '群聊频道测试', owner: { kind: 'secret-channel', id: '000000377' } });
    await expect(processor.synthesize(j)).resolves.toEqual({ clipId: CLIP_ID, url: CLIP_URL });
    expect(j.discard).not.toHaveBeenCalled();
  });

  it('should wait for every module to register its writer before looking one up (a job taken at start-up)', async () => {
    // Bull's explorer lives in a global module, so Nest starts the processor before the feature modules'
    // onModuleInit hooks, where they register their writers: a waiting job can arrive before its writer.
    const starting = new VoiceOwnerRegistry();
    processor = new SpeechSynthesisProcessor(
      tts,
      clips as unknown as VoiceClipService,
      starting,
      loadConfig({ TTS_TIMEOUT_MS: '5000' }),
    );
    const j = job({ text: '群聊频道测试', owner: { kind: 'secret-channel', id: '000000377' } });
    const running = processor.synthesize(j);
    const writer = jest.fn(async () => true);
    await new Promise((resolve) => setImmediate(resolve));
    starting.register('secret-channel', writer);
    starting.onApplicationBootstrap();
    await expect(running).resolves.toEqual({ clipId: CLIP_ID, url: CLIP_URL });
    expect(writer).toHaveBeenCalledWith('000000377', CLIP_URL);
    expect(j.discard).not.toHaveBeenCalled();
  });

  it('should fail an unknown owner kind for good, before synthesising', async () => {
    const j = job({ text: '群聊频道测试', owner: { kind: 'nobody', id: '1' } });
    await expect(processor.synthesize(j)).rejects.toThrow('no voice owner writer is registered for kind "nobody"');
    expect(j.discard).toHaveBeenCalled();
    expect(tts.synthesize).not.toHaveBeenCalled();
  });

  it('should rethrow a TTS failure so Bull retries it', async () => {
    tts.synthesize.mockRejectedValueOnce(new TtsError('espeak driver: timed out after 5000 ms'));
    const j = job({ text: '你好' });
    await expect(processor.synthesize(j)).rejects.toThrow('timed out after 5000 ms');
    expect(j.discard).not.toHaveBeenCalled();
    expect(clips.store).not.toHaveBeenCalled();
  });

  it('should rethrow a writer failure so Bull retries it', async () => {
    owners.register(
      'micro-channel',
      jest.fn(async () => Promise.reject(new Error('ER_LOCK_WAIT_TIMEOUT'))),
    );
    const j = job({ text: '你好', owner: { kind: 'micro-channel', id: '9' } });
    await expect(processor.synthesize(j)).rejects.toThrow('ER_LOCK_WAIT_TIMEOUT');
    expect(j.discard).not.toHaveBeenCalled();
  });

  it('should give synthesis only the time the waiting caller has left', async () => {
    const notAfter = Date.now() + 1000;
    await processor.synthesize(job({ text: '你好', notAfter }));
    const finished = Date.now();
    const budget = tts.synthesize.mock.calls[0][1] as number;
    // What was left of the caller's time when synthesis started, whatever the machine's pauses.
    expect(budget).toBeGreaterThanOrEqual(notAfter - finished);
    expect(budget).toBeLessThanOrEqual(1000);
  });

  it('should do nothing for a caller that already gave up', async () => {
    const j = job({ text: '你好', notAfter: Date.now() - 1 });
    await expect(processor.synthesize(j)).rejects.toThrow('the waiting caller gave up before synthesis started');
    expect(j.discard).toHaveBeenCalled();
    expect(tts.synthesize).not.toHaveBeenCalled();
  });

  it('should not store a clip finished after the caller gave up', async () => {
    tts.synthesize.mockImplementationOnce(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return Buffer.from('#!AMR\n');
    });
    const j = job({ text: '你好', notAfter: Date.now() + 40 });
    await expect(processor.synthesize(j)).rejects.toThrow('clip not stored');
    expect(clips.store).not.toHaveBeenCalled();
  });

  it('should fail a job without text for good', async () => {
    const j = job({ text: ' ' });
    await expect(processor.synthesize(j)).rejects.toThrow('job has no text');
    expect(j.discard).toHaveBeenCalled();
  });
});
