export { WorkflowsModule } from './workflows.module';
