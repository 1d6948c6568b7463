import {
  CancelledError,
  HttpError,
  InvalidModelNameError,
  MalformedReplyError,
  NetworkError,
  NotOllamaError,
  StreamError,
  TimeoutError,
  TlsError,
} from '../../../src/ollama/errors.js';
import { ModelName } from '../../../src/ollama/model-name.js';
import { cloudTagProblem } from '../../../src/pulls/pull-text.js';
import { classifyFailure, gaveUpMessage, retryDelayMs } from '../../../src/pulls/retry-policy.js';

const host = { host: '192.168.1.5:11434' };

describe('Pulls retry policy', () => {
  it('waits 10 s, 30 s, 1 min, 2 min and 5 min, then gives up', () => {
    expect([0, 1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([
      10_000,
      30_000,
      60_000,
      120_000,
      300_000,
      null,
    ]);
    expect(gaveUpMessage('It broke.')).toBe('Gave up after 5 retries. It broke.');
  });

  it('retries what may pass by itself', () => {
    for (const error of [
      new NetworkError('reset', host),
      new NetworkError('refused', host),
      new HttpError(500, 'boom', host),
      new HttpError(503, null, host),
      new HttpError(429, null, host),
      new StreamError('max retries exceeded: unexpected EOF', host),
      new StreamError('digest mismatch, file must be downloaded again: want a, got b', host),
      new StreamError('something new', host),
      new MalformedReplyError('a line is not JSON', host),
      new TimeoutError(30, host),
      new CancelledError(host),
      new Error('the keyring is locked'),
    ])
      expect(classifyFailure(error).permanent).withContext(error.message).toBeFalse();
    expect(classifyFailure(new Error('the keyring is locked')).message).toBe(
      'the keyring is locked',
    );
  });

  it('fails at once on what needs a person, with the client’s plain words', () => {
    const unknown = new StreamError('pull model manifest: file does not exist', host);
    for (const error of [
      unknown,
      new StreamError('unauthorized: access denied', host),
      new StreamError('pull model manifest: 412: newer version required', host),
      new StreamError('write x-partial: no space left on device', host),
      new HttpError(401, null, { ...host, apiKeySent: false }),
      new HttpError(403, null, { ...host, apiKeySent: true }),
      new HttpError(400, 'invalid model name', host),
      new InvalidModelNameError('bad name', 'it contains spaces'),
      new NotOllamaError(host),
      new TlsError({ ...host, problem: 'bad-certificate' }),
    ])
      expect(classifyFailure(error)).withContext(error.message).toEqual({
        permanent: true,
        message: error.message,
      });
  });

  it('knows cloud tags, which have nothing to download', () => {
    for (const name of ['gpt-oss:120b-cloud', 'x:cloud', 'user/model:big-CLOUD'])
      expect(cloudTagProblem(ModelName.parse(name)))
        .withContext(name)
        .toContain('runs on ollama.com, so there is nothing to download');
    for (const name of ['llama3.2', 'cloud', 'cloud:7b', 'x:cloudy', 'x:cloud-1'])
      expect(cloudTagProblem(ModelName.parse(name)))
        .withContext(name)
        .toBeNull();
    expect(cloudTagProblem(ModelName.parse('x:cloud'))).toBe(
      '“x:cloud” runs on ollama.com, so there is nothing to download. Pick a tag without “cloud” to run the model on your server.',
    );
  });
});
