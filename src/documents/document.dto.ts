import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length, NotContains } from 'class-validator';
import { IfPresent } from '../bootstrap';
import { IsDocumentContent } from './document-content.validator';

/** PostgreSQL text rejects NUL; saying so here keeps it a 400 naming the field. */
const NoNul = (): PropertyDecorator =>
  NotContains('\u0000', { message: '$property must not contain NUL characters' });

const CONTENT_DESCRIPTION = 'Text of the document (at most 5 MiB of UTF-8)';

/** Path parameters of `/documents/{id}`. */
export class DocumentIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

/** Body of `POST /documents`. */
export class CreateDocumentDto {
  @ApiProperty({ minLength: 1, maxLength: 300 })
  @IsString()
  @Length(1, 300)
  @NoNul()
  title: string;

  @ApiProperty({ minLength: 1, description: CONTENT_DESCRIPTION })
  @IsDocumentContent()
  content: string;
}

/** Body of `PUT /documents/{id}`: absent fields are kept; new content is processed again. */
export class UpdateDocumentDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 300 })
  @IfPresent()
  @IsString()
  @Length(1, 300)
  @NoNul()
  title?: string;

  @ApiPropertyOptional({ minLength: 1, description: CONTENT_DESCRIPTION })
  @IfPresent()
  @IsDocumentContent()
  content?: string;
}
