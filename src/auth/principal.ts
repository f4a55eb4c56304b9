/** Roles a bearer token can carry in its `role` claim. */
export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, from the token's `sub` and `role` claims. */
export interface Principal {
  /** User id (uuid), from `sub`. */
  id: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth guard when the request carries a valid bearer token. */
    user?: Principal;
  }
}
