// Reads the modules in this folder: base64 text of brotli-compressed JSON (see scripts/generatedModule.ts).
import { brotliDecompressSync } from 'node:zlib';

export function unpack(packed: string): unknown {
  return JSON.parse(brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8'));
}
