import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { toUserProfileResponse, UserProfileResponseDto } from './dto/user-profile-response.dto';
import { RecentIds } from './recent-ids';
import { UsersRepository } from './users.repository';

/** How many ensured user ids each process remembers (about 1 MB). */
const ENSURED_IDS_CAPACITY = 10_000;

/** A user's id and display name, embedded in other resources (e.g. an agent's owner). */
export interface UserSummary {
  id: string;
  display_name: string | null;
}

/** Users: makes sure a row exists for each token subject, and manages the caller's profile. */
@Injectable()
export class UsersService {
  private readonly ensured = new RecentIds(ENSURED_IDS_CAPACITY);

  constructor(private readonly users: UsersRepository) {}

  /**
   * Makes sure a `users` row exists for the principal, so owner foreign keys can point at it.
   * Ids already ensured by this process skip the database, keeping writes one statement cheaper.
   */
  async ensureUser(principal: Principal): Promise<void> {
    if (this.ensured.has(principal.id)) {
      return;
    }
    await this.users.insertIfMissing(principal.id, principal.role);
    this.ensured.add(principal.id);
  }

  /** The caller's profile, creating the row on first use. */
  async getProfile(principal: Principal): Promise<UserProfileResponseDto> {
    await this.ensureUser(principal);
    const user = await this.users.findById(principal.id);
    if (!user) {
      // Only possible when the row was deleted after it was remembered.
      this.ensured.delete(principal.id);
      throw new NotFoundException('User not found');
    }
    return toUserProfileResponse(user, principal);
  }

  /** Updates the caller's display name and email (409 when the email belongs to another user). */
  async updateProfile(
    principal: Principal,
    dto: UpdateProfileDto,
  ): Promise<UserProfileResponseDto> {
    await this.ensureUser(principal);
    const user = await this.users.updateProfile(principal.id, {
      ...(dto.display_name !== undefined && { displayName: dto.display_name }),
      ...(dto.email !== undefined && { email: dto.email }),
    });
    if (!user) {
      this.ensured.delete(principal.id);
      throw new NotFoundException('User not found');
    }
    return toUserProfileResponse(user, principal);
  }

  /** Id and display name of a user, or null when unknown. One query. */
  async findSummary(id: string): Promise<UserSummary | null> {
    const user = await this.users.findSummary(id);
    return user ? { id: user.id, display_name: user.displayName } : null;
  }
}
