import { signedForm } from '../../common/signature/sign';
import { TtsClient, TtsError } from './tts.client';

export interface HttpTtsOptions {
  /** The remote service's txt2voice endpoint (TTS_HTTP_URL). */
  url: string;
  /** This service's own credentials at the remote service (TTS_APP_KEY / TTS_APP_SECRET). */
  appKey: string;
  appSecret: string;
  /** A clip larger than this is a failure (a channel name is a few KB). */
  maxAudioBytes?: number;
}

interface TxtToVoiceReply {
  ERRORCODE?: unknown;
  RESULT?: unknown;
}

/**
 * The remote driver (ORIGINAL-BEHAVIOUR 4.10): POST `appKey`, `text`, `sign` as a form to the TTS
 * service, which answers `{"ERRORCODE":"0","RESULT":{"url":...}}`; then download that URL. Both
 * requests share one deadline. The TTS service and its file host are operator-configured, so they
 * are not subject to the outbound private-address rules that guard partner-supplied URLs.
 */
export class HttpTtsClient extends TtsClient {
  readonly driver = 'http' as const;
  private readonly maxAudioBytes: number;

  constructor(private readonly options: HttpTtsOptions) {
    super();
    this.maxAudioBytes = options.maxAudioBytes ?? 2 * 1024 * 1024;
  }

  async synthesize(text: string, timeoutMs: number): Promise<Buffer> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const audioUrl = await this.requestSynthesis(text, signal);
      return await this.download(audioUrl, signal);
    } catch (err) {
      if (err instanceof TtsError) {
        throw err;
      }
      if (signal.aborted) {
        throw new TtsError(`http driver: no answer within ${timeoutMs} ms`);
      }
      throw new TtsError(`http driver: ${(err as Error).message}`);
    }
  }

  private async requestSynthesis(text: string, signal: AbortSignal): Promise<URL> {
    const params = { appKey: this.options.appKey, text };
    const body = new URLSearchParams(signedForm(params, this.options.appSecret));
    const res = await fetch(this.options.url, { method: 'POST', body, signal });
    const raw = await res.text();
    if (!res.ok) {
      throw new TtsError(`http driver: TTS service answered HTTP ${res.status}`);
    }
    let reply: TxtToVoiceReply;
    try {
      reply = JSON.parse(raw) as TxtToVoiceReply;
    } catch {
      throw new TtsError('http driver: TTS service answered something that is not JSON');
    }
    if (reply.ERRORCODE !== '0') {
      throw new TtsError(
        `http driver: TTS service answered ERRORCODE ${JSON.stringify(reply.ERRORCODE)} (${JSON.stringify(reply.RESULT)})`,
      );
    }
    const url = (reply.RESULT as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || url === '') {
      throw new TtsError('http driver: TTS service answered no RESULT.url');
    }
    let parsed: URL;
    try {
      parsed = new URL(url, this.options.url);
    } catch {
      throw new TtsError(`http driver: RESULT.url is not a URL: ${url.slice(0, 200)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TtsError(`http driver: RESULT.url is not http(s): ${parsed.protocol}`);
    }
    return parsed;
  }

  private async download(url: URL, signal: AbortSignal): Promise<Buffer> {
    const res = await fetch(url, { signal });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new TtsError(`http driver: audio download answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > this.maxAudioBytes) {
      await res.body.cancel();
      throw new TtsError(`http driver: audio is ${declared} bytes, more than ${this.maxAudioBytes}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > this.maxAudioBytes) {
        throw new TtsError(`http driver: audio larger than ${this.maxAudioBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
}
