import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth';
import { readPackageInfo } from '../../config';
import { monitoringConfig } from '../monitoring.config';
import { InfoResponse, toInfoResponse } from './info.dto';

/** `GET /info`: what is running and since when. */
@ApiTags('monitoring')
@Controller('info')
export class InfoController {
  private readonly info: Parameters<typeof toInfoResponse>[0];

  constructor(@Inject(monitoringConfig.KEY) config: ConfigType<typeof monitoringConfig>) {
    this.info = {
      ...readPackageInfo(),
      gitRevision: config.gitRevision,
      startedAt: new Date(Date.now() - process.uptime() * 1000),
    };
  }

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Build and runtime information of this instance' })
  @ApiOkResponse({ type: InfoResponse })
  get(): InfoResponse {
    return toInfoResponse(this.info);
  }
}
