export { ToolsModule } from './tools.module';
export { ToolsService } from './tools.service';
// Exported only as the target of the agents' many-to-many relation (the `agent_tools` join
// table is owned by agents); other modules must go through ToolsService for tool data.
export { ToolEntity } from './tool.entity';
