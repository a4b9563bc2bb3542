import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The swagger-ui-dist files `/docs` needs; the Lambda bundle carries them beside `index.mjs`. */
export const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const
export type SwaggerUiFile = (typeof SWAGGER_UI_FILES)[number]

/** The installed swagger-ui-dist folder, or null when the package is not there (a bundle). */
export function swaggerUiPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  } catch {
    return null
  }
}

/**
 * Reads a swagger-ui-dist file from the first folder that has it (null when none does), once:
 * the bytes are kept for the life of the process.
 */
export function swaggerUiAssets(
  dirs: Array<string | null>,
): (name: SwaggerUiFile) => Promise<Uint8Array | null> {
  const cache = new Map<SwaggerUiFile, Promise<Uint8Array | null>>()
  const load = async (name: SwaggerUiFile) => {
    for (const dir of dirs) {
      if (dir === null) continue
      try {
        return new Uint8Array(await readFile(path.join(dir, name)))
      } catch {
        // not in this folder
      }
    }
    return null
  }
  return (name) => {
    if (!cache.has(name)) cache.set(name, load(name))
    return cache.get(name)!
  }
}
