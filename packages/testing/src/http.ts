/**
 * Minimal HTTP(S) helpers: readiness probes, etcd's JSON gateway, and raw JSON requests to the
 * API server with a KubeConfig's credentials. Raw requests send manifests exactly as given:
 * @kubernetes/client-node's typed models drop fields whose names clash with JavaScript
 * keywords (a CRD schema's `enum`), so CRDs must not round-trip through them.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export function httpGet(url: string, options: { ca?: string; token?: string } = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return send(new URL(url), { method: 'GET', headers, ca: options.ca }, undefined);
}

export async function httpPostJson(url: string, body: unknown): Promise<unknown> {
  const response = await send(
    new URL(url),
    { method: 'POST', headers: { 'content-type': 'application/json' } },
    JSON.stringify(body),
  );
  if (response.status >= 300) throw new Error(`POST ${url}: HTTP ${response.status}: ${response.body}`);
  return JSON.parse(response.body) as unknown;
}

/** One request to the current cluster of `kubeConfig`; `path` starts with `/api` or `/apis`. */
export async function kubeRequest(
  kubeConfig: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpResponse> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const options: RequestOptions = {
    method,
    headers: { accept: 'application/json', 'content-type': contentType },
  };
  await kubeConfig.applyToHTTPSOptions(options);
  return send(
    new URL(server.replace(/\/$/, '') + path),
    options,
    body === undefined ? undefined : JSON.stringify(body),
  );
}

function send(target: URL, options: RequestOptions, body: string | undefined): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, { timeout: 10_000, agent: false, ...options }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${target.href} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
