export { AgentsModule } from './agents.module';
export { AgentsService } from './agents.service';
export { AGENT_TYPES, AGENT_STATUSES } from './agents.constants';
export type { AgentType, AgentStatus } from './agents.constants';
