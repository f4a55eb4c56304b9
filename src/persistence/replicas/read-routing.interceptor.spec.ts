import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, Observable } from 'rxjs';
import { ReadRoutingInterceptor } from './read-routing.interceptor';
import { ReadsFillCache } from './reads-fill-cache.decorator';
import { currentReadScope, type ReadScope } from './read-scope';

const MARKER = 'caching:response-options';

/** A GET on a route whose handler and controller carry these decorators. */
function contextFor(decorate: { handler?: MethodDecorator; controller?: ClassDecorator }) {
  class Controller {
    handle(): void {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Controller.prototype, 'handle')!;
  decorate.handler?.(Controller.prototype, 'handle', descriptor);
  decorate.controller?.(Controller);
  return {
    getType: () => 'http',
    getHandler: () => descriptor.value as () => void,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => ({ method: 'GET', user: { id: 'u1' } }) }),
  } as unknown as ExecutionContext;
}

/** The read scope the handler chain runs in. */
async function scopeOf(context: ExecutionContext): Promise<ReadScope | undefined> {
  const sut = new ReadRoutingInterceptor(new Reflector(), { cacheFillMarkers: [MARKER] });
  const next: CallHandler = {
    handle: () =>
      new Observable((subscriber) => {
        subscriber.next(currentReadScope());
        subscriber.complete();
      }),
  };
  return lastValueFrom(sut.intercept(context, next)) as Promise<ReadScope | undefined>;
}

describe(ReadRoutingInterceptor.name, () => {
  it('should mark routes with @ReadsFillCache or a configured marker, on the handler or the class, as filling a cache', async () => {
    const marked = SetMetadata(MARKER, { ttl: 60 });
    expect((await scopeOf(contextFor({ handler: ReadsFillCache() })))?.fillsCache).toBe(true);
    expect((await scopeOf(contextFor({ handler: marked })))?.fillsCache).toBe(true);
    expect((await scopeOf(contextFor({ controller: marked })))?.fillsCache).toBe(true);
  });

  it('should let other routes read any replica that qualifies, with the caller and method in scope', async () => {
    const scope = await scopeOf(contextFor({ handler: SetMetadata('other:key', true) }));
    expect(scope).toEqual({ lagTolerant: true, principal: 'u1', fillsCache: false, wrote: false });
  });
});
