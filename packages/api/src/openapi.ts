import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from './root';

export function openApiDocument(baseUrl: string, version: string): OpenAPIObject {
  return generateOpenApiDocument(appRouter, {
    title: 'Matchloop',
    description:
      'The customer feedback loop of the manufacturer-matching marketplace. Every call but health needs ' +
      '`Authorization: Bearer <key>`.',
    version,
    baseUrl,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
  });
}
