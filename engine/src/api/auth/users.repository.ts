/**
 * Local users and their sessions, in PostgreSQL (`kontor_user`, `kontor_session`).
 *
 * Sessions are random 32-byte tokens handed to the browser in a cookie; only their SHA-256 is
 * stored, so a read of the database does not yield usable sessions. Expired sessions are ignored
 * and cleaned up on sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../../state/database.js';
import { hashPassword, verifyPassword } from './password.js';

export const ROLES = ['analyst', 'caseworker', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: Role[];
  readonly candidateGroups: string[];
}

export interface NewUser {
  readonly username: string;
  readonly displayName?: string;
  readonly password: string;
  readonly roles: Role[];
  readonly candidateGroups?: string[];
}

/** Thrown when a new user's fields are invalid or the username is taken; names the field. */
export class UserValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'UserValidationError';
  }
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MIN_PASSWORD_LENGTH = 10;

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  candidate_groups: string[];
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  roles: row.roles,
  candidateGroups: row.candidate_groups,
});

const sha256 = (token: string) => createHash('sha256').update(token).digest();

export class UsersRepository {
  constructor(private readonly pool: Pool) {}

  async create(user: NewUser): Promise<User> {
    if (!USERNAME.test(user.username)) {
      throw new UserValidationError(
        'username',
        `Username '${user.username}' is invalid: expected 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    if (user.password.length < MIN_PASSWORD_LENGTH) {
      throw new UserValidationError(
        'password',
        `Password is too short: expected at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    const unknown = user.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (user.roles.length === 0 || unknown.length > 0) {
      throw new UserValidationError(
        'roles',
        `Roles ${user.roles.length === 0 ? 'are missing' : `'${unknown.join("', '")}' are unknown`}: expected one or more of ${ROLES.join(', ')}`,
      );
    }
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO kontor_user (username, display_name, password_hash, roles, candidate_groups)
         VALUES ($1, $2, $3, $4, $5)
         RETURNING id, username, display_name, roles, candidate_groups`,
        [
          user.username,
          user.displayName ?? user.username,
          await hashPassword(user.password),
          user.roles,
          user.candidateGroups ?? [],
        ],
      );
      return toUser(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new UserValidationError('username', `Username '${user.username}' is taken`);
      }
      throw error;
    }
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM kontor_user');
    return Number(rows[0].n);
  }

  async list(): Promise<User[]> {
    const { rows } = await this.pool.query<UserRow>(
      'SELECT id, username, display_name, roles, candidate_groups FROM kontor_user ORDER BY username',
    );
    return rows.map(toUser);
  }

  /** The user if the password matches, else undefined (same answer for an unknown user). */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow & { password_hash: string }>(
      'SELECT id, username, display_name, roles, candidate_groups, password_hash FROM kontor_user WHERE username = $1',
      [username],
    );
    const row = rows[0];
    if (!row) {
      // Spend the same time as a real check, so that response times do not reveal usernames.
      await verifyPassword(password, DUMMY_HASH);
      return undefined;
    }
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
  }

  /** Opens a session; returns the token for the cookie. */
  async openSession(userId: string, lifetimeMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.pool.query('DELETE FROM kontor_session WHERE expires_at < now()');
    await this.pool.query(
      `INSERT INTO kontor_session (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [sha256(token), userId, lifetimeMs / 1000],
    );
    return token;
  }

  async userForSession(token: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT u.id, u.username, u.display_name, u.roles, u.candidate_groups
         FROM kontor_session s JOIN kontor_user u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [sha256(token)],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async closeSession(token: string): Promise<void> {
    await this.pool.query('DELETE FROM kontor_session WHERE token_hash = $1', [sha256(token)]);
  }
}

const DUMMY_HASH =
  'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
