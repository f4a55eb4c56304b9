import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** Changes to the caller's profile; absent fields are kept, `null` clears a field. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, minLength: 1 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  display_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: 320 })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
}
