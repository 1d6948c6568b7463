import type { ServerResponse } from 'node:http';
import { FaultQueue } from './faults.js';
import { HubState } from './hub-state.js';
import { JsonReply } from './json-reply.js';
import { ModelName } from './model-name.js';
import { ModelStore } from './model-store.js';
import { Registry } from './registry.js';
import type { SimState } from './sim-state.js';
import type { SimConfig } from './types.js';
import { sha256Hex } from './wire.js';

/** How long `GET /__sim/state?activePulls=N` waits at most. */
const MAX_WAIT_MS = 5000;

class BadRequest extends Error {}

/** The test-only endpoints under /__sim/: JSON in, JSON out, never behind the token. */
export class ControlApi {
  constructor(
    private readonly state: SimState,
    /** Cuts every in-flight Ollama request, so a reset leaves nothing running. */
    private readonly cutInflight: () => void,
  ) {}

  async handle(method: string, url: URL, body: string, res: ServerResponse): Promise<void> {
    const reply = new JsonReply(res);
    const endpoint = url.pathname.slice('/__sim/'.length);
    try {
      const input = parseBody(body);
      const answer = await this.route(`${method} ${endpoint}`, url, input);
      if (answer === undefined) {
        await reply.json(404, { error: `no control endpoint ${method} ${url.pathname}` });
        return;
      }
      await reply.json(200, answer);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      await reply.json(400, { error: error.message });
    }
  }

  private async route(route: string, url: URL, input: unknown): Promise<unknown> {
    const state = this.state;
    switch (route) {
      case 'POST reset':
        this.cutInflight();
        await state.waitForActivePulls(0, MAX_WAIT_MS);
        state.reset();
        return { ok: true };
      case 'POST restart': {
        // Ollama restarting: connections cut, models unloaded, and (without OLLAMA_NOPRUNE)
        // unfinished downloads deleted by PruneLayers.
        const noPrune = asObject(input).noPrune;
        if (noPrune !== undefined && typeof noPrune !== 'boolean')
          throw new BadRequest('noPrune: must be a boolean');
        this.cutInflight();
        await state.waitForActivePulls(0, MAX_WAIT_MS);
        state.loaded.clear();
        if (!noPrune) state.store.clearPartials();
        return { partials: state.store.partialSizes() };
      }
      case 'GET config':
        return state.config;
      case 'POST config':
        state.config = mergeConfig(state.config, asObject(input));
        return state.config;
      case 'GET registry':
        return { models: state.registry.list() };
      case 'POST registry': {
        const models = checked(() =>
          list(input, 'models').map((model, i) => Registry.fromInput(model, `models[${i}]`)),
        );
        const replace = asObject(input).replace;
        if (replace !== undefined && typeof replace !== 'boolean')
          throw new BadRequest('replace: must be a boolean');
        if (replace) state.registry.clear();
        for (const model of models) state.registry.add(model);
        return { models: models.map((model) => model.name) };
      }
      case 'POST publish': {
        const name = asObject(input).name;
        if (typeof name !== 'string') throw new BadRequest('name: must be a string');
        const model = state.registry.publish(ModelName.parse(name));
        if (!model) throw new BadRequest(`name: the registry has no model ${JSON.stringify(name)}`);
        return { name: model.name, digest: sha256Hex(Registry.manifest(model.layers)) };
      }
      case 'GET installed':
        return { models: state.store.list().map((model) => ModelStore.toWire(model)) };
      case 'POST installed': {
        const now = Date.now();
        const models = checked(() =>
          list(input, 'models').map((model, i) =>
            // Listed newest first unless entries say otherwise: a minute apart.
            ModelStore.fromInput(model, `models[${i}]`, state.registry, now - i * 60_000),
          ),
        );
        state.store.replaceInstalled(models);
        return { installed: state.store.list().map((model) => model.name) };
      }
      case 'GET hub':
        return hubInfo(state.hub);
      case 'POST hub': {
        const body = asObject(input);
        for (const key of Object.keys(body))
          if (!['repos', 'replace', 'rateLimit', 'pageSize'].includes(key))
            throw new BadRequest(`unknown hub key ${JSON.stringify(key)}`);
        const repos =
          body.repos === undefined
            ? []
            : checked(() =>
                list(body, 'repos').map((repo, i) => HubState.fromInput(repo, `repos[${i}]`)),
              );
        if (body.replace !== undefined && typeof body.replace !== 'boolean')
          throw new BadRequest('replace: must be a boolean');
        const { rateLimit, pageSize } = body;
        if (rateLimit !== undefined && rateLimit !== null) {
          const after = asObject(rateLimit).retryAfter ?? null;
          const seconds = typeof after === 'number' && Number.isSafeInteger(after) && after >= 0;
          if (after !== null && !seconds && (typeof after !== 'string' || after === ''))
            throw new BadRequest(
              'rateLimit.retryAfter: null, a whole number of seconds or an HTTP date',
            );
          state.hub.rateLimit = { retryAfter: after };
        } else if (rateLimit === null) state.hub.rateLimit = null;
        if (pageSize !== undefined) {
          if (typeof pageSize !== 'number' || !Number.isSafeInteger(pageSize) || pageSize < 1)
            throw new BadRequest('pageSize: a whole number ≥ 1');
          state.hub.pageSize = pageSize;
        }
        if (body.replace) state.hub.repos = [];
        state.hub.add(repos);
        return hubInfo(state.hub);
      }
      case 'GET gpu':
        return { share: state.gpuShare };
      case 'POST gpu': {
        const share = asObject(input).share;
        if (typeof share !== 'number' || !(share >= 0 && share <= 1))
          throw new BadRequest('share: a number from 0 to 1');
        state.gpuShare = share;
        return { share };
      }
      case 'GET faults':
        return { faults: state.faults.list() };
      case 'POST faults': {
        const faults = checked(() =>
          list(input, 'faults').map((fault, i) => FaultQueue.parse(fault, `faults[${i}]`)),
        );
        state.faults.replace(faults);
        return { faults: state.faults.list() };
      }
      case 'DELETE faults':
        state.faults.clear();
        return { faults: [] };
      case 'GET requests':
        return { requests: state.requests };
      case 'DELETE requests':
        state.requests.length = 0;
        return { requests: [] };
      case 'GET state': {
        const wanted = url.searchParams.get('activePulls');
        if (wanted !== null) {
          const count = Number(wanted);
          if (!Number.isSafeInteger(count) || count < 0)
            throw new BadRequest('activePulls: a whole number');
          await state.waitForActivePulls(count, MAX_WAIT_MS);
        }
        return state.info();
      }
      default:
        return undefined;
    }
  }
}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new BadRequest(`invalid JSON: ${(error as Error).message}`);
  }
}

function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new BadRequest((error as Error).message);
  }
}

function asObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadRequest('the body must be a JSON object');
  }
  return input as Record<string, unknown>;
}

function hubInfo(hub: HubState): Record<string, unknown> {
  return {
    repos: hub.repos.map((repo) => repo.id),
    rateLimit: hub.rateLimit,
    pageSize: hub.pageSize,
  };
}

function list(input: unknown, key: string): unknown[] {
  const value = asObject(input)[key];
  if (!Array.isArray(value)) throw new BadRequest(`${key}: must be an array`);
  return value;
}

function mergeConfig(config: SimConfig, input: Record<string, unknown>): SimConfig {
  const merged: SimConfig = { ...config };
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'tickMs':
      case 'bytesPerTick':
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
          throw new BadRequest(`${key}: a whole number ≥ 1`);
        }
        merged[key] = value;
        break;
      case 'stepMs':
      case 'registryLatencyMs':
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
          throw new BadRequest(`${key}: a whole number ≥ 0`);
        }
        merged[key] = value;
        break;
      case 'token':
        if (value !== null && (typeof value !== 'string' || value === '')) {
          throw new BadRequest('token: null or a non-empty string');
        }
        merged.token = value;
        break;
      case 'version':
        if (typeof value !== 'string') throw new BadRequest('version: a string');
        merged.version = value;
        break;
      default:
        throw new BadRequest(`unknown config key ${JSON.stringify(key)}`);
    }
  }
  return merged;
}
