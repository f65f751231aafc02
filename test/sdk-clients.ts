/**
 * The providers' official JavaScript SDKs, each set up the way its README says, pointed at a local
 * server, and sending the call a user sends most: a POST that starts a generation. What each does
 * with a failed answer (retry or not, how long it waits, what it throws) is what errspec is
 * compared with in sdk-agreement.test.ts; and a GET of the same SDK, a read a resend cannot bill twice.
 *
 * Each SDK waits between retries with its own timer; `retrySleep` matches the stack of that timer
 * (and no other of the SDK's, such as its request timeout), so the test can record the wait and
 * shorten it instead of spending it.
 */
import Anthropic from '@anthropic-ai/sdk';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { createFalClient } from '@fal-ai/client';
import { GoogleGenAI } from '@google/genai';
import RunwayML from '@runwayml/sdk';
import LumaAI from 'lumaai';
import OpenAI from 'openai';
import Replicate from 'replicate';

export interface SdkClient {
  /** The errspec provider the SDK is for. */
  readonly provider: string;
  /** The npm package. */
  readonly sdk: string;
  /** The call sent, in the SDK's words. */
  readonly call: string;
  /** Matches the stack of the timer the SDK waits on between retries, and of no other. */
  readonly retrySleep: RegExp;
  /** Sends the call to the server at `base`; settles as the SDK settles. */
  send(base: string): Promise<unknown>;
  /** A GET of the same SDK (a status or a resource read), which a resend cannot bill twice. */
  readonly read: string;
  get(base: string): Promise<unknown>;
}

const KEY = 'test-key';

/** fal's client, through the SDK's own hook for a proxy: every request goes to the local server, path and all. */
function falClient(base: string) {
  return createFalClient({ credentials: KEY, requestMiddleware: async (request) => ({ ...request, url: `${base}${new URL(request.url).pathname}` }) });
}
const PROMPT = 'a lighthouse at dusk';

export const SDK_CLIENTS: readonly SdkClient[] = [
  {
    provider: 'openai',
    sdk: 'openai',
    call: 'images.generate',
    read: 'batches.retrieve',
    get: (base) => new OpenAI({ apiKey: KEY, baseURL: base }).batches.retrieve('batch_abc123'),
    retrySleep: /[/\\]openai[/\\]internal[/\\]utils[/\\]sleep\.m?js/,
    send: (base) => new OpenAI({ apiKey: KEY, baseURL: base }).images.generate({ model: 'gpt-image-1', prompt: PROMPT }),
  },
  {
    provider: 'anthropic',
    sdk: '@anthropic-ai/sdk',
    call: 'messages.create',
    read: 'messages.batches.retrieve',
    get: (base) => new Anthropic({ apiKey: KEY, baseURL: base }).messages.batches.retrieve('msgbatch_01'),
    retrySleep: /[/\\]@anthropic-ai[/\\]sdk[/\\]internal[/\\]utils[/\\]sleep\.m?js/,
    send: (base) =>
      new Anthropic({ apiKey: KEY, baseURL: base }).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] }),
  },
  {
    provider: 'gemini',
    sdk: '@google/genai',
    call: 'models.generateContent',
    read: 'models.get',
    get: (base) => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: base } }).models.get({ model: 'gemini-2.5-flash' }),
    retrySleep: /[/\\]p-retry[/\\]/,
    send: (base) => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: base } }).models.generateContent({ model: 'gemini-2.5-flash', contents: PROMPT }),
  },
  {
    provider: 'replicate',
    sdk: 'replicate',
    call: 'predictions.create',
    read: 'predictions.get',
    get: (base) => new Replicate({ auth: KEY, baseUrl: base }).predictions.get('ufawqhfynnddngldkgtslldrkq'),
    retrySleep: /[/\\]replicate[/\\]lib[/\\]util\.js/,
    send: (base) => new Replicate({ auth: KEY, baseUrl: base }).predictions.create({ version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa', input: { prompt: PROMPT } }),
  },
  {
    provider: 'fal',
    sdk: '@fal-ai/client',
    call: 'queue.submit',
    read: 'queue.status',
    get: (base) => falClient(base).queue.status('fal-ai/flux/dev', { requestId: '764cabcf-b745-4b3e-ae38-1200304cf45b' }),
    retrySleep: /[/\\]@fal-ai[/\\]client[/\\]src[/\\]utils\.js/,
    send: (base) => falClient(base).queue.submit('fal-ai/flux/dev', { input: { prompt: PROMPT } }),
  },
  {
    provider: 'runway',
    sdk: '@runwayml/sdk',
    call: 'textToImage.create',
    read: 'tasks.retrieve',
    get: (base) => new RunwayML({ apiKey: KEY, baseURL: base }).tasks.retrieve('17f20503-6c24-4c16-946b-35dbbce2af2f'),
    retrySleep: /[/\\]@runwayml[/\\]sdk[/\\]internal[/\\]utils[/\\]sleep\.m?js/,
    send: (base) => new RunwayML({ apiKey: KEY, baseURL: base }).textToImage.create({ model: 'gen4_image', promptText: PROMPT, ratio: '1920:1080' }),
  },
  {
    provider: 'elevenlabs',
    sdk: '@elevenlabs/elevenlabs-js',
    call: 'textToSpeech.convert',
    read: 'models.list',
    get: (base) => new ElevenLabsClient({ apiKey: KEY, baseUrl: base }).models.list(),
    retrySleep: /[/\\]requestWithRetries\.js/,
    send: (base) => new ElevenLabsClient({ apiKey: KEY, baseUrl: base }).textToSpeech.convert('JBFqnCBsd6RMkjVDRZzb', { text: PROMPT, modelId: 'eleven_multilingual_v2' }),
  },
  {
    provider: 'luma',
    sdk: 'lumaai',
    call: 'generations.create',
    read: 'generations.get',
    get: (base) => new LumaAI({ authToken: KEY, baseURL: base }).generations.get('d1968551-6113-4b46-b567-09210c2e79b0'),
    // The SDK's sleep shares its file with the request timeout's timer, so the function names it.
    retrySleep: /at sleep \([^)]*[/\\]lumaai[/\\]core\.m?js/,
    send: (base) => new LumaAI({ authToken: KEY, baseURL: base }).generations.create({ prompt: PROMPT, model: 'ray-2' }),
  },
];
