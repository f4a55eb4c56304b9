import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { QueryObserver } from './query-observer';

/** Reports every finished statement, with TypeORM's execution time, to the query observer. */
@Injectable()
export class QueryTimingSubscriber implements EntitySubscriberInterface, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly observer: QueryObserver,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  afterQuery(event: AfterQueryEvent): void {
    this.observer.ended(event.query, event.executionTime ?? 0, event.success);
  }
}
