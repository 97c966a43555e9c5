/**
 * The API reference at /api/docs: Swagger UI over /api/openapi.json, both from this server.
 *
 * The page runs under the UI's Content-Security-Policy (no inline script or style, nothing
 * from another origin): Swagger UI's stylesheet is a file of the bundle, it is started from
 * this module, and it is used without the standalone preset, whose top bar draws its logo
 * with an inline <style>. Swagger UI itself is loaded on demand, so this entry stays small
 * and the main app never loads it.
 *
 * "Try it out" sends requests from this origin: they carry the session cookie of a
 * signed-in browser (unsafe methods also send the Origin the API checks), or the Bearer
 * token typed into "Authorize".
 */
import 'swagger-ui-dist/swagger-ui.css';
import './api-docs.css';

const SPEC_URL = '/api/openapi.json';

function setStatus(text: string | null, error = false): void {
  const status = document.getElementById('docs-status');
  if (!status) return;
  status.removeAttribute('aria-busy');
  status.hidden = text === null;
  status.textContent = text ?? '';
  status.classList.toggle('docs-error', error);
}

async function start(): Promise<void> {
  const domNode = document.getElementById('swagger-ui');
  if (!domNode) return;
  try {
    const { default: SwaggerUI } = await import('swagger-ui-dist/swagger-ui-es-bundle.js');
    SwaggerUI({
      url: SPEC_URL,
      domNode,
      presets: [SwaggerUI.presets.apis],
      layout: 'BaseLayout',
      deepLinking: true,
      displayOperationId: true,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      // Never read a spec URL or settings from this page's query string.
      queryConfigEnabled: false,
      // A typed token stays in this tab's memory, never in localStorage.
      persistAuthorization: false,
      // No call to the public validator (another origin).
      validatorUrl: null,
      onComplete: () => setStatus(null),
    });
  } catch (error) {
    console.warn('The API reference could not be loaded.', error);
    setStatus('The API reference could not be loaded. The document itself is at /api/openapi.json.', true);
  }
}

void start();
