/**
 * What the forms routes need of the tasklist to answer "which form does this task show":
 * its user tasks and its form lookup (deployed versions first, then `schemas/forms`).
 */
import type { FormSchemas } from '../../tasklist/form-schemas.js';
import type { UserTaskRepository } from '../../tasklist/user-task.repository.js';

export interface TasklistForms {
  readonly tasks: Pick<UserTaskRepository, 'get'>;
  readonly forms: Pick<FormSchemas, 'load'>;
}
