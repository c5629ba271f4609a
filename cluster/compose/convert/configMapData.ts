import type { V1ConfigMap } from '@kubernetes/client-node';

// ConfigMap `data`/`binaryData` from file contents, split the way kompose splits them.

export function configMapData(files: Record<string, Buffer>): Pick<V1ConfigMap, 'data' | 'binaryData'> {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [key, content] of Object.entries(files)) {
    const text = content.toString('utf8').replace(/\r\n/g, '\n');
    if (looksLikeText(content)) data[key] = text;
    // kompose base64-encodes the bytes and stores that string as bytes, which the JSON encoder
    // encodes again; keep the double encoding so the output matches kompose byte for byte.
    else binaryData[key] = Buffer.from(content.toString('base64')).toString('base64');
  }
  return {
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

/** Go's godoc util.IsText: the first 1 KiB is valid UTF-8 without control characters. */
function looksLikeText(content: Buffer): boolean {
  const prefix = content.subarray(0, 1024);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(prefix);
  } catch {
    // A multi-byte character cut at the 1 KiB boundary is still text.
    if (content.length <= 1024) return false;
    text = new TextDecoder('utf-8').decode(prefix).replace(/\uFFFD+$/, '');
    if (text.includes('\uFFFD')) return false;
  }
  for (const ch of text.replace(/\r\n/g, '\n')) {
    if (ch < ' ' && ch !== '\n' && ch !== '\t' && ch !== '\f') return false;
  }
  return true;
}
