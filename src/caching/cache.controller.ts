import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Post,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth';
import {
  CacheStatsResponseDto,
  InvalidateCacheRequestDto,
  InvalidateCacheResponseDto,
} from './cache.dto';
import { ResponseCacheService } from './response-cache.service';

/** Admin endpoints of the response cache. */
@ApiTags('cache')
@Roles('admin')
@Controller('cache')
export class CacheController {
  constructor(private readonly cache: ResponseCacheService) {}

  @Get('stats')
  @ApiOperation({ summary: 'Cache statistics (get_stats) and Redis/L1 info (get_cache_info)' })
  @ApiOkResponse({ type: CacheStatsResponseDto })
  async stats(): Promise<CacheStatsResponseDto> {
    return { stats: this.cache.getStats(), info: await this.cache.getCacheInfo() };
  }

  @Post('invalidate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Invalidate by key, tags, glob pattern (inside the cache namespace) or event',
  })
  @ApiOkResponse({ type: InvalidateCacheResponseDto })
  async invalidate(@Body() body: InvalidateCacheRequestDto): Promise<InvalidateCacheResponseDto> {
    if (!body.key && !body.tags?.length && !body.pattern && !body.event) {
      throw new BadRequestException(['one of key, tags, pattern or event is required']);
    }
    let deletedKeys = 0;
    if (body.key) {
      await this.cache.invalidateKey(body.key);
    }
    if (body.tags?.length) {
      await this.cache.invalidateTags(body.tags);
    }
    if (body.pattern) {
      deletedKeys = await this.cache.deletePattern(body.pattern);
    }
    if (body.event) {
      await this.cache.invalidateByEvent(body.event);
    }
    return { invalidated: true, deleted_keys: deletedKeys };
  }
}
