import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Builds the OpenAPI document from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Agentic AI Engine API')
    .setDescription(
      'Agents, tools, workflows, documents and templates of the agentic engine, with caching, ' +
        'pagination, resilience, queues and monitoring. Routes need a bearer JWT unless marked public.',
    )
    .setVersion(version)
    .setLicense('UNLICENSED', 'https://example.invalid/license')
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the UI at `/docs` and the document at `/docs-json`. */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
