import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { CircuitBreakerMetadata } from './decorators/circuit-breaker.decorator';
import { CIRCUIT_BREAKER_METADATA } from './resilience.constants';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Wraps every `@CircuitBreaker()` method once at boot, the way @nestjs/bull's explorer binds
 * `@Process()` handlers: no wrapping per call, and a fallback that is not a method fails the boot.
 */
@Injectable()
export class CircuitBreakerExplorer implements OnModuleInit {
  private readonly logger = new Logger(CircuitBreakerExplorer.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly manager: CircuitBreakerManager,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as Method;
        const metadata = this.reflector.get<CircuitBreakerMetadata | undefined>(
          CIRCUIT_BREAKER_METADATA,
          method,
        );
        if (metadata) {
          instance[methodName] = this.wrap(instance, prototype, methodName, method, metadata);
        }
      }
    }
  }

  private wrap(
    instance: Record<string, unknown>,
    prototype: object,
    methodName: string,
    method: Method,
    metadata: CircuitBreakerMetadata,
  ): Method {
    const owner = `${prototype.constructor.name}.${methodName}`;
    let fallback: Method | undefined;
    if (metadata.fallback) {
      fallback = instance[metadata.fallback] as Method | undefined;
      if (typeof fallback !== 'function') {
        throw new Error(
          `@CircuitBreaker on ${owner}: fallback "${metadata.fallback}" is not a method of the class`,
        );
      }
    }
    const paramTypes = (Reflect.getMetadata('design:paramtypes', prototype, methodName) ??
      []) as unknown[];
    const signalIndex = paramTypes.at(-1) === AbortSignal ? paramTypes.length - 1 : -1;
    const breaker = this.manager.get(metadata.name, metadata.config);
    this.logger.debug(`${owner} runs through breaker ${breaker.name}`);
    return async (...args: unknown[]) => {
      try {
        // Only methods that declare a trailing AbortSignal get an action taking a signal.
        return await breaker.execute(
          signalIndex >= 0
            ? (signal: AbortSignal) => {
                const callArgs = [...args];
                callArgs[signalIndex] = signal;
                return method.apply(instance, callArgs);
              }
            : () => method.apply(instance, args),
        );
      } catch (error) {
        // The caller's own error (a 404, a 400) is not a dependency failure: no fallback.
        if (fallback && !breaker.isCallerError(error)) {
          return fallback.apply(instance, [...args, error]);
        }
        throw error;
      }
    };
  }
}
