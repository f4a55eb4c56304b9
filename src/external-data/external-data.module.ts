import { Module } from '@nestjs/common';
import { ResilienceModule } from '../resilience';
import { ExternalApiClient } from './external-api.client';
import { ExternalDataController } from './external-data.controller';
import { ExternalDataService } from './external-data.service';

/** `GET /external-data`: the guide's circuit-breaker example on a real upstream. */
@Module({
  imports: [ResilienceModule.forFeature([{ name: 'external_api' }])],
  controllers: [ExternalDataController],
  providers: [ExternalApiClient, ExternalDataService],
})
export class ExternalDataModule {}
