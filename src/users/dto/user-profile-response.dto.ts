import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Principal } from '../../auth';
import { UserEntity } from '../user.entity';

/** The caller's profile. */
export class UserProfileResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, format: 'email' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true })
  display_name: string | null;

  @ApiProperty({ enum: ROLES, description: "The role of the caller's token" })
  role: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at: Date;
}

/** Maps a user row to its profile; the role is the token's, which is what authorizes requests. */
export function toUserProfileResponse(
  user: UserEntity,
  principal: Principal,
): UserProfileResponseDto {
  return {
    id: user.id,
    email: user.email,
    display_name: user.displayName,
    role: principal.role,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
