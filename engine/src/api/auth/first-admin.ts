/**
 * On the very first start there is nobody to sign in: create the user `admin` with a generated
 * password and tell the operator once, on standard output. Later starts do nothing.
 */
import type { Logger } from '../../logging/logger.js';
import { generatePassword } from './password.js';
import type { UsersRepository } from './users.repository.js';

export async function ensureFirstAdmin(users: UsersRepository, logger: Logger): Promise<void> {
  if ((await users.count()) > 0) return;
  const password = generatePassword();
  await users.create({
    username: 'admin',
    displayName: 'Administrator',
    password,
    roles: ['admin'],
  });
  logger.warn(
    { username: 'admin' },
    'first start: created the user admin; its password is printed once on standard output',
  );
  process.stdout.write(
    `\nKontor's first start created the user 'admin' with the password: ${password}\n` +
      "Sign in with it, then create personal users with 'kontor user add'.\n\n",
  );
}
