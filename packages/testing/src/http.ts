/** Minimal HTTP(S) helpers for readiness probes and etcd's JSON gateway (no client library needed). */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export function httpGet(url: string, options: { ca?: string; token?: string } = {}): Promise<HttpResponse> {
  return send(url, 'GET', undefined, options);
}

export async function httpPostJson(url: string, body: unknown): Promise<unknown> {
  const response = await send(url, 'POST', JSON.stringify(body), {});
  if (response.status >= 300) throw new Error(`POST ${url}: HTTP ${response.status}: ${response.body}`);
  return JSON.parse(response.body) as unknown;
}

function send(
  url: string,
  method: string,
  body: string | undefined,
  options: { ca?: string; token?: string },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(target, { method, headers, ca: options.ca, timeout: 5_000, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
