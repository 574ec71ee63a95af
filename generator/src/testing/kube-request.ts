/**
 * Raw JSON requests to the API server with a KubeConfig's credentials, for the tests that
 * check emitted CRDs against a real server. Raw on purpose: typed client models would drop
 * or reshape the very fields under test.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

export async function kubeRequest(
  kubeConfig: KubeConfig,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<KubeResponse> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const options: RequestOptions = {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
  };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(server.replace(/\/$/, '') + path),
      { timeout: 10_000, ...options },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => {
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // Not JSON (e.g. an empty body); keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface StatusCause {
  readonly field?: string;
  readonly message?: string;
  readonly reason?: string;
}

/** The field paths of a 422 Invalid response's causes. */
export function invalidFields(response: KubeResponse): readonly string[] {
  const details = (response.body as { details?: { causes?: readonly StatusCause[] } } | undefined)?.details;
  return (details?.causes ?? []).map((c) => c.field ?? '');
}
