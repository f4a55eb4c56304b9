export { EdgeModule } from './edge.module';
export { HttpEdge } from './http-edge';
export { rootRequestHooks } from './fastify-hooks';
export type {
  EdgeExchange,
  EdgeMatch,
  EdgeRefusal,
  EdgeResponder,
  EdgeStage,
  HookFunction,
} from './edge.types';
