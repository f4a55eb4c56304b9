import { randomUUID } from 'node:crypto';

/** A `PUT /user/profile` body. */
export interface ProfileBody {
  display_name?: string | null;
  email?: string | null;
}

/** A valid profile update with a unique email, overridable field by field. */
export function buildProfile(overrides: ProfileBody = {}): ProfileBody {
  const id = randomUUID().slice(0, 8);
  return { display_name: `User ${id}`, email: `user-${id}@example.com`, ...overrides };
}
