import { ValidationPipe } from '@nestjs/common';

/**
 * The app-wide validation pipe: unknown fields are rejected (400 naming them), payloads are
 * transformed into DTO instances, and every message names the offending field by its path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
  });
}
