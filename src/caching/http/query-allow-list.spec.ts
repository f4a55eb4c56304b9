import { Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { documentedQueryParams } from './query-allow-list';

class SearchDto {
  @ApiProperty()
  q: string;

  @ApiPropertyOptional()
  status?: string;
}

@Controller('probe')
class ProbeController {
  @Get('api-query')
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'limit', required: false })
  apiQuery(): void {}

  @Get('named')
  named(@Query('sort') _sort?: string, @Query('order') _order?: string): void {}

  @Get('dto')
  dto(@Query() _search: SearchDto, @Query('extra') _extra?: string): void {}

  @Get('none')
  none(): void {}
}

const paramsOf = (method: keyof ProbeController) =>
  [
    ...documentedQueryParams(
      ProbeController.prototype,
      ProbeController.prototype[method] as (...args: unknown[]) => unknown,
    ),
  ].sort();

describe(documentedQueryParams.name, () => {
  it('should list @ApiQuery params (and so @Paginated ones)', () => {
    expect(paramsOf('apiQuery')).toEqual(['limit', 'page']);
  });

  it('should list @Query(name) params', () => {
    expect(paramsOf('named')).toEqual(['order', 'sort']);
  });

  it('should list the properties of a @Query() DTO', () => {
    expect(paramsOf('dto')).toEqual(['extra', 'q', 'status']);
  });

  it('should list nothing for a route without query params', () => {
    expect(paramsOf('none')).toEqual([]);
  });
});
