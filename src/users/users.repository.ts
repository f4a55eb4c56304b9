import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserEntity } from './user.entity';

/** Changes to a user's own profile. */
export interface ProfilePatch {
  email?: string | null;
  displayName?: string | null;
}

/** Data access for users. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  /** Creates the row for the id unless it exists: one statement, safe under concurrency. */
  async insertIfMissing(id: string, role: string): Promise<void> {
    await this.users.query(
      'INSERT INTO users (id, role) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [id, role],
    );
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** Id and display name only, for embedding in other resources. */
  findSummary(id: string): Promise<Pick<UserEntity, 'id' | 'displayName'> | null> {
    return this.users.findOne({ select: { id: true, displayName: true }, where: { id } });
  }

  /** Applies the patch and returns the updated row (null when the user does not exist). */
  async updateProfile(id: string, patch: ProfilePatch): Promise<UserEntity | null> {
    if (Object.keys(patch).length > 0) {
      await this.users.update({ id }, patch);
    }
    return this.findById(id);
  }
}
