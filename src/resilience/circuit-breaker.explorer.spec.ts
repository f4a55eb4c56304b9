import { Injectable, Module, NotFoundException } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { CircuitBreaker } from './decorators/circuit-breaker.decorator';
import { InjectCircuitBreaker } from './decorators/inject-circuit-breaker.decorator';
import { ResilientBreaker } from './engine/resilient-breaker';
import { CallTimeoutError } from './errors/call-timeout.error';
import { CircuitBreakerOpenError } from './errors/circuit-breaker-open.error';
import { resilienceConfig } from './resilience.config';
import { ResilienceModule } from './resilience.module';

/** A service as app teams write it: a decorated call with a typed fallback. */
@Injectable()
class WeatherService {
  calls = 0;
  signals: Array<AbortSignal | undefined> = [];

  @CircuitBreaker('weather', { fallback: 'stale' })
  async forecast(city: string, signal?: AbortSignal): Promise<string> {
    this.calls++;
    this.signals.push(signal);
    if (city === 'down') {
      throw new Error('weather upstream down');
    }
    if (city === 'nowhere') {
      throw new NotFoundException('No such city: nowhere');
    }
    if (city === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return `sunny in ${city}`;
  }

  stale(city: string, ...rest: unknown[]): string {
    const error = rest.at(-1);
    return `stale ${city} (${error instanceof Error ? error.name : 'none'})`;
  }

  @CircuitBreaker('weather')
  async raw(): Promise<string> {
    this.calls++;
    return Promise.reject(new Error('raw failure'));
  }
}

/** Has the breaker injected by name, as `forFeature` provides it. */
@Injectable()
class BreakerHolder {
  constructor(@InjectCircuitBreaker('weather') readonly breaker: ResilientBreaker) {}
}

@Injectable()
class MisspelledFallbackService {
  // The decorator's typing refuses a fallback that is not a method: `tsc` fails without this line.
  // @ts-expect-error 'nope' is not a method of MisspelledFallbackService
  @CircuitBreaker('x', { fallback: 'nope' })
  async call(): Promise<string> {
    return Promise.resolve('x');
  }
}

/** A fallback name that escapes the type check (an `any` cast) still fails the boot. */
@Injectable()
class UntypedFallbackService {
  @CircuitBreaker('x', { fallback: 'nope' as never })
  async call(): Promise<string> {
    return Promise.resolve('x');
  }
}

const config = () =>
  ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [resilienceConfig] });

async function boot(providers: Array<new (...args: never[]) => unknown>): Promise<TestingModule> {
  @Module({ imports: [ResilienceModule.forFeature([{ name: 'weather' }])], providers })
  class FeatureModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [
      config(),
      ResilienceModule.forRoot({ defaults: { callTimeoutMs: 50 } }),
      FeatureModule,
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('CircuitBreakerExplorer', () => {
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  it('should run a decorated method through its breaker with the per-call signal', async () => {
    moduleRef = await boot([WeatherService, BreakerHolder]);
    const service = moduleRef.get(WeatherService);

    await expect(service.forecast('Oslo')).resolves.toBe('sunny in Oslo');

    expect(service.signals[0]).toBeInstanceOf(AbortSignal);
    expect(service.signals[0]?.aborted).toBe(false);
    const breaker = moduleRef.get(CircuitBreakerManager).require('weather');
    expect(breaker.counts.success).toBe(1);
    // One breaker per name: the injected one and the decorator's are the same.
    expect(moduleRef.get(BreakerHolder).breaker).toBe(breaker);
  });

  it('should answer with the fallback on failure, timeout and open circuit', async () => {
    moduleRef = await boot([WeatherService]);
    const service = moduleRef.get(WeatherService);

    await expect(service.forecast('slow')).resolves.toBe('stale slow (CallTimeoutError)');
    expect(service.signals[0]?.reason).toBeInstanceOf(CallTimeoutError);
    await expect(service.forecast('down')).resolves.toBe('stale down (Error)');
    await expect(service.forecast('down')).resolves.toBe('stale down (Error)');
    const callsBefore = service.calls;
    await expect(service.forecast('Oslo')).resolves.toBe('stale Oslo (CircuitBreakerOpenError)');

    expect(service.calls).toBe(callsBefore);
  });

  it("should throw the caller's own error (4xx) as it is, not answer it with the fallback", async () => {
    moduleRef = await boot([WeatherService]);
    const service = moduleRef.get(WeatherService);

    await expect(service.forecast('nowhere')).rejects.toBeInstanceOf(NotFoundException);
    // A dependency failure still gets the fallback, and the 404 did not count as a failure.
    await expect(service.forecast('down')).resolves.toBe('stale down (Error)');
    const breaker = moduleRef.get(CircuitBreakerManager).require('weather');
    expect(breaker.counts.failure).toBe(1);
  });

  it('should let the error through when there is no fallback', async () => {
    moduleRef = await boot([WeatherService]);
    const service = moduleRef.get(WeatherService);
    moduleRef.get(CircuitBreakerManager).require('weather').forceOpen();

    await expect(service.raw()).rejects.toBeInstanceOf(CircuitBreakerOpenError);
    expect(service.calls).toBe(0);
  });

  it('should fail the boot when the fallback is not a method, naming class and method', async () => {
    await expect(boot([UntypedFallbackService])).rejects.toThrow(
      '@CircuitBreaker on UntypedFallbackService.call: fallback "nope" is not a method of the class',
    );
    // The typed misuse is refused by the compiler (see @ts-expect-error) and by the boot alike.
    await expect(boot([MisspelledFallbackService])).rejects.toThrow(/fallback "nope"/);
  });

  it('should close every breaker on shutdown', async () => {
    moduleRef = await boot([WeatherService]);
    const breaker = moduleRef.get(CircuitBreakerManager).require('weather');
    const shutdown = jest.spyOn(breaker, 'shutdown');

    await moduleRef.close();
    moduleRef = undefined;

    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});
