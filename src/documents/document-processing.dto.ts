import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { MAX_BATCH_DOCUMENTS } from './document.constants';

/** Body of `POST /documents/process`. */
export class ProcessDocumentsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BATCH_DOCUMENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_DOCUMENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids: string[];
}

/** Answer of `POST /documents/{id}/process` (202). */
export class ProcessingAcceptedResponseDto {
  @ApiProperty({ enum: ['processing'] })
  status: 'processing';

  @ApiProperty({ format: 'uuid' })
  doc_id: string;

  @ApiProperty({ format: 'uuid', description: 'Processing task (queue job) id' })
  task_id: string;
}

/** Answer of `POST /documents/process` (202). */
export class BatchProcessingAcceptedResponseDto {
  @ApiProperty({ enum: ['processing'] })
  status: 'processing';

  @ApiProperty({ type: [String], format: 'uuid', description: 'Documents now processing' })
  doc_ids: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Unknown ids, or not yours' })
  not_found: string[];

  @ApiProperty({ format: 'uuid', type: String, nullable: true })
  task_id: string | null;
}
