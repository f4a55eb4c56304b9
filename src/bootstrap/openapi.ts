import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentErrorResponses, ErrorResponseDto } from './openapi-responses';

/**
 * Builds the OpenAPI document from the controllers and DTOs, with every error status a route
 * can answer (see {@link documentErrorResponses}).
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  documentErrorResponses(app);
  const config = new DocumentBuilder()
    .setTitle('Agentic AI Engine API')
    .setDescription(
      'Agents, tools, workflows, documents and templates of the agentic engine, with caching, ' +
        'pagination, resilience, queues and monitoring. Routes need a bearer JWT unless marked public. ' +
        'Errors are {statusCode, message, error}. Any request may also get 431 (request line or ' +
        'headers over the server limit).',
    )
    .setVersion(version)
    .setLicense('UNLICENSED', 'https://example.invalid/license')
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
}

/** Where Swagger UI is served (the document at `${DOCS_PATH}-json` and `-yaml`). */
export const DOCS_PATH = '/docs';

/** Serves the UI at `/docs` and the document at `/docs-json`. */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    // No badge from validator.swagger.io: it would send the document's URL to a third party,
    // and the page's CSP (PAGE_CSP) loads images from this origin only.
    swaggerOptions: { validatorUrl: null },
  });
}
