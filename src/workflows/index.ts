export { WorkflowsModule } from './workflows.module';
export { WorkflowsService } from './workflows.service';
export { WORKFLOW_STATUSES } from './workflow.constants';
export type { WorkflowStatus } from './workflow.constants';
