/**
 * Downloads of files the API makes (CSV, NDJSON): fetched with the same credentials as every
 * request, saved byte for byte as the server sent them under the name its Content-Disposition
 * gives (the browser tests read the saved file and compare it with the API's answer).
 */
import { authHeaders } from './api/client';
import { problemOf } from './api/problem';

/** the file name of a Content-Disposition header (filename*=UTF-8'' or filename="...") */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** hands a blob to the browser as a download */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GETs `path` and saves the answer as a file; an ApiProblem when refused */
export async function downloadFromApi(path: string, fallbackName: string, accept = '*/*'): Promise<string> {
  const response = await fetch(path, { headers: { Accept: accept, ...authHeaders('GET') }, credentials: 'same-origin' });
  if (!response.ok) throw await problemOf(response);
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  saveBlob(blob, name);
  return name;
}
