// swagger-ui-dist ships no types; this is the little of its API the docs page uses.
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  interface SwaggerRequest {
    url: string;
    method?: string;
    headers: Record<string, string>;
    credentials?: RequestCredentials;
    [key: string]: unknown;
  }

  interface SwaggerUIOptions {
    url?: string;
    domNode?: Element;
    dom_id?: string;
    presets?: unknown[];
    plugins?: unknown[];
    layout?: string;
    deepLinking?: boolean;
    displayOperationId?: boolean;
    displayRequestDuration?: boolean;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    filter?: boolean | string;
    queryConfigEnabled?: boolean;
    persistAuthorization?: boolean;
    tryItOutEnabled?: boolean;
    validatorUrl?: string | null;
    withCredentials?: boolean;
    requestInterceptor?: (request: SwaggerRequest) => SwaggerRequest | Promise<SwaggerRequest>;
    onComplete?: () => void;
    [key: string]: unknown;
  }

  interface SwaggerUIBundle {
    (options: SwaggerUIOptions): unknown;
    presets: { apis: unknown };
  }

  const SwaggerUI: SwaggerUIBundle;
  export default SwaggerUI;
}
