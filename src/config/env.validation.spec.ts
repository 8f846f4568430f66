import { loadConfig } from './configuration';
import { ConfigError, validateEnvironment } from './env.validation';

describe('validateEnvironment', () => {
  it('should give the documented defaults for an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toEqual(
      expect.objectContaining({
        PORT: 3000,
        DB_HOST: '127.0.0.1',
        DB_PORT: 3306,
        DB_USERNAME: 'root',
        DB_PASSWORD: '',
        DB_DATABASE: 'daoke_channel',
        REDIS_PORT: 6379,
        REDIS_DB: 0,
        APP_ROLE: 'all',
        TTS_DRIVER: 'espeak',
        TTS_TIMEOUT_MS: 10000,
        INVITE_INTERVAL_SECONDS: 600,
        MAX_CHANNELS_PER_USER: 10,
        CHANNEL_CAPACITY: 1000,
        SIGN_WINDOW_SECONDS: 300,
        APP_RATE_LIMIT_PER_SECOND: 200,
        OUTBOUND_ALLOW_PRIVATE: false,
      }),
    );
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['DB_PORT', '70000'],
    ['DB_DATABASE', 'bad-name;drop'],
    ['APP_ROLE', 'both'],
    ['TTS_DRIVER', 'polly'],
    ['OUTBOUND_ALLOW_PRIVATE', 'maybe'],
    ['ADMIN_TOKEN', 'short'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['MAX_CHANNELS_PER_USER', '0'],
  ])('should stop with a message naming %s=%s', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`\\b${name}=`));
  });

  it('should require the URL and this service credentials with the http driver', () => {
    expect(() => validateEnvironment({ TTS_DRIVER: 'http' })).toThrow(/TTS_HTTP_URL/);
    expect(() =>
      validateEnvironment({ TTS_DRIVER: 'http', TTS_HTTP_URL: 'http://127.0.0.1:9/tts', TTS_APP_KEY: '1234567890' }),
    ).toThrow(/TTS_APP_SECRET: required/);
    const env = validateEnvironment({
      TTS_DRIVER: 'http',
      TTS_HTTP_URL: 'http://127.0.0.1:9/tts',
      TTS_APP_KEY: '1234567890',
      TTS_APP_SECRET: 'S',
    });
    expect(env.TTS_HTTP_URL).toBe('http://127.0.0.1:9/tts');
  });
});

describe('loadConfig', () => {
  it('should derive PUBLIC_BASE_URL from PORT and parse lists and roles', () => {
    const config = loadConfig({
      PORT: '4000',
      OUTBOUND_ALLOWED_HOSTS: ' Media.Example.com, ,cdn.example.com',
      APP_ROLE: 'api',
      PUBLIC_BASE_URL: '',
    });
    expect(config.publicBaseUrl).toBe('http://localhost:4000');
    expect(config.outbound.allowedHosts).toEqual(['media.example.com', 'cdn.example.com']);
    expect(config.servesHttp).toBe(true);
    expect(config.runsWorkers).toBe(false);
    expect(loadConfig({ APP_ROLE: 'worker', PUBLIC_BASE_URL: 'https://api.example.com/' }).publicBaseUrl).toBe(
      'https://api.example.com',
    );
  });
});
