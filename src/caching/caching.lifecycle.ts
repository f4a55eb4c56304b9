import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  DiscoveryService,
  HttpAdapterHost,
  MetadataScanner,
  ModuleRef,
  Reflector,
} from '@nestjs/core';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { HttpEdge } from '../edge';
import type { RedisClient } from '../redis';
import { TokenService } from '../auth';
import { redisConfig } from '../config';
import { CACHE_ENGINE, CACHE_LOOKUP_READER, CACHE_REDIS_CLIENTS } from './caching.constants';
import { CacheEngine } from './engine/cache-engine';
import type { BusMessage } from './engine/invalidation-bus';
import {
  closeClients,
  createBusSubscriber,
  type LookupReaderConnection,
} from './engine/cache-redis';
import { cacheKeyspace } from './engine/keyspace';
import { cachingConfig } from './caching.config';
import { registerConditionalGet } from './http/conditional-get';
import { CachePolicy } from './http/cache-policy';
import { cacheEdgeResponder, EdgeUrls } from './http/edge-responder';
import { discoverFastRoutes, registerFastPath } from './http/fast-path';

/**
 * Connects the cache at boot (without waiting for Redis: the app boots and the cache reports
 * degraded), listens on the invalidation bus, adds the 304 hook and the fast path, and closes its
 * connections at shutdown. Its stats, metrics and readiness check: `caching.monitoring.ts`.
 */
@Injectable()
export class CachingLifecycle
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Caching');
  private subscriber?: RedisClient;
  private conditionalGet?: onSendHookHandler;

  constructor(
    @Inject(CACHE_ENGINE) private readonly engine: CacheEngine,
    @Inject(CACHE_REDIS_CLIENTS) private readonly clients: RedisClient[],
    @Inject(CACHE_LOOKUP_READER) private readonly reader: LookupReaderConnection,
    @Inject(redisConfig.KEY) private readonly redis: ConfigType<typeof redisConfig>,
    private readonly policy: CachePolicy,
    private readonly adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(cachingConfig.KEY) private readonly config: ConfigType<typeof cachingConfig>,
    private readonly moduleRef: ModuleRef,
    private readonly edge: HttpEdge,
  ) {}

  /** The app's token service, wherever AuthModule sits; none in apps without it (scenario apps). */
  private tokens(): TokenService | undefined {
    try {
      return this.moduleRef.get(TokenService, { strict: false });
    } catch {
      return undefined;
    }
  }

  async onModuleInit(): Promise<void> {
    // Connect before serving (bounded: the app still boots, degraded, when Redis is down), so the
    // first requests do not meet half-open connections and trip the breaker for nothing.
    const connected = Promise.all([
      ...this.clients.map((client) => client.connect().catch(() => undefined)),
      this.reader.connect().catch(() => undefined),
    ]);
    await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.listenToBus();
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) {
      this.conditionalGet = registerConditionalGet(fastify);
    }
  }

  /**
   * The fast path is the last `onRequest` hook: every module's `onModuleInit` has added its own
   * (rate limiting among them) by now, and a hit must pass them first.
   */
  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && this.config.fastPath && this.config.enabled) {
      const routes = discoverFastRoutes(this.discovery, this.scanner, this.reflector, this.policy);
      const urls = this.config.edge ? new EdgeUrls(this.policy) : undefined;
      const tokens = this.tokens();
      const fastPath = registerFastPath(fastify, routes, this.engine, tokens, urls);
      if (urls && fastPath && this.conditionalGet) {
        const covers = [fastPath, this.conditionalGet];
        this.edge.setResponder(
          'response cache',
          cacheEdgeResponder(urls, this.engine, this.policy, tokens, covers),
        );
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
    await Promise.all([
      closeClients([...this.clients, ...(this.subscriber ? [this.subscriber] : [])]),
      this.reader.close(),
    ]);
  }

  private listenToBus(): void {
    const channel = cacheKeyspace(this.redis.keyPrefix).channel;
    const subscriber = createBusSubscriber(this.redis);
    this.subscriber = subscriber;
    let connectedBefore = false;
    // Messages sent while we were disconnected are lost: no L1 copy is trusted until it is
    // revalidated (served stale meanwhile, one refresh per key), instead of dropping them all.
    const distrustAfterReconnect = (): void => {
      if (connectedBefore) {
        this.engine.revalidateL1();
      }
      connectedBefore = true;
    };
    const onMessage = (_channel: string, message: string): void => {
      try {
        this.engine.applyBusMessage(JSON.parse(message) as BusMessage);
      } catch {
        this.logger.warn('ignored a malformed cache bus message');
      }
    };
    if (subscriber.isCluster) {
      // Sharded pub/sub: the shard's subscriber is replaced when its primary fails over; what
      // was published in between is lost, so L1 is distrusted when one goes and when it is back.
      subscriber.on('-subscriber', () => this.engine.revalidateL1());
      subscriber.on('subscribersReady', distrustAfterReconnect);
      subscriber.on('smessage', onMessage);
      // SSUBSCRIBE needs the slot map (it goes to the channel's primary): sent once the client
      // is ready, and again until it is taken; ioredis then re-subscribes after each failover.
      // Requests are served before it is taken (the slot map takes a moment, a retry 500 ms):
      // copies stored meanwhile may have missed invalidations published meanwhile, so once it
      // is taken they are revalidated (what a reconnect does in standalone mode).
      const subscribe = (): void => {
        subscriber.ssubscribe(channel).then(
          () => this.engine.revalidateL1(),
          () => {
            setTimeout(subscribe, 500).unref();
          },
        );
      };
      subscriber.once('ready', subscribe);
      subscriber.connect().catch(() => undefined);
      return;
    }
    subscriber.on('ready', distrustAfterReconnect);
    subscriber.on('message', onMessage);
    subscriber.connect().catch(() => undefined);
    subscriber.subscribe(channel).catch(() => undefined);
  }
}
