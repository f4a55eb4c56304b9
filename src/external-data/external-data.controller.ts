import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth';
import { ExternalDataResponseDto } from './external-data.dto';
import { ExternalDataService } from './external-data.service';

/** Data from the external API, protected by a circuit breaker. */
@ApiTags('external-data')
@Authenticated()
@Controller('external-data')
export class ExternalDataController {
  constructor(private readonly externalData: ExternalDataService) {}

  @Get()
  @ApiOperation({
    summary: 'Upstream data through the external_api breaker; last good copy when it is down',
  })
  @ApiOkResponse({ type: ExternalDataResponseDto })
  get(): Promise<ExternalDataResponseDto> {
    return this.externalData.fetch();
  }
}
