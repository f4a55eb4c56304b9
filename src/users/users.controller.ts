import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, type Principal } from '../auth';
import { CacheResponse, InvalidateCache } from '../caching';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UserProfileResponseDto } from './dto/user-profile-response.dto';
import { UsersService } from './users.service';

/** The caller's own profile. */
@ApiTags('users')
@Authenticated()
@Controller('user')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('profile')
  @CacheResponse({ ttl: 300, keyPrefix: 'user_profile', includeUser: true })
  @ApiOperation({ summary: "The caller's profile (created on first use)" })
  @ApiOkResponse({ type: UserProfileResponseDto })
  getProfile(@CurrentUser() principal: Principal): Promise<UserProfileResponseDto> {
    return this.users.getProfile(principal);
  }

  @Put('profile')
  @InvalidateCache({ tags: ['user:{user}'] })
  @ApiOperation({ summary: "Update the caller's display name and email" })
  @ApiBadRequestResponse({ description: 'Invalid fields, named' })
  @ApiOkResponse({ type: UserProfileResponseDto })
  updateProfile(
    @CurrentUser() principal: Principal,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserProfileResponseDto> {
    return this.users.updateProfile(principal, dto);
  }
}
