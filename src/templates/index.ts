export { TemplatesModule } from './templates.module';
export { TemplatesService } from './templates.service';
