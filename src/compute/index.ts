export { ComputeModule } from './compute.module';
