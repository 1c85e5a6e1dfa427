/**
 * Every failed API call, as the apps see it: the problem+json answer's stable `code`, its
 * `detail` (written for people), and the invalid fields of a request (`errors`), which forms
 * show next to the field. Network failures and answers that are not problems get codes of
 * their own (`NETWORK_ERROR`, `UNEXPECTED_RESPONSE`).
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, code: string, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }

  /** The message of one field (`email`, `body`), for the form control that sent it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.message;
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

/** The ApiError of a non-2xx answer, from its problem+json body when it has one. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.clone().json();
  } catch {
    // not JSON: described below by its status
  }
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const problem = body as { code: string; detail?: string; title?: string; errors?: FieldError[] };
    return new ApiError(response.status, problem.code, problem.detail ?? problem.title ?? `HTTP ${response.status}`, Array.isArray(problem.errors) ? problem.errors : []);
  }
  return new ApiError(response.status, 'UNEXPECTED_RESPONSE', `The server answered HTTP ${response.status} ${response.statusText}`.trim());
}
