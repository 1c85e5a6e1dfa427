import { accessSync, constants } from 'node:fs';
import path from 'node:path';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How to get the binary, for the failure that says it is missing. */
export const COMPOSE_INSTALL_HINT =
  'install it (Debian/Ubuntu: apt-get install -y docker-compose, as .ci/run does; elsewhere a Compose v2 standalone binary) or set DOCKER_COMPOSE_PATH to one';

/**
 * The docker-compose binary the compose-file checks run: DOCKER_COMPOSE_PATH, else
 * `docker-compose` on PATH. When there is none, the reason and how to install it: the checks
 * fail with it, on a developer's machine as in CI, rather than pass by asserting nothing.
 */
export function findComposeBinary(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  const explicit = env.DOCKER_COMPOSE_PATH?.trim() || undefined;
  if (explicit) return isExecutable(explicit) ? { path: explicit } : { missing: `DOCKER_COMPOSE_PATH=${explicit} is not an executable file: ${COMPOSE_INSTALL_HINT}` };
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'docker-compose');
    if (isExecutable(candidate)) return { path: candidate };
  }
  return { missing: `docker-compose was not found on PATH, so docker-compose.yml cannot be checked: ${COMPOSE_INSTALL_HINT}` };
}
