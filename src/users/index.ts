export { UsersModule } from './users.module';
export { UsersService } from './users.service';
export type { UserSummary } from './users.service';
