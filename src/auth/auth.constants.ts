/** @internal metadata key: the route needs no token. */
export const PUBLIC_ROUTE = 'auth:public';
/** @internal metadata key: roles allowed on the route. */
export const REQUIRED_ROLES = 'auth:roles';
