// Every error the API answers, in words (keyed by the problem's stable `code`, docs/api.md).

const messages = {
  validation_failed: 'Some fields need attention.',
  invalid_credentials: 'The email or password is not right.',
  unauthenticated: 'Please sign in again.',
  invalid_token: 'Your session has ended. Please sign in again.',
  token_expired: 'Your session has expired. Please sign in again.',
  invalid_api_key: 'That API key is not valid.',
  refresh_token_reused: 'For your safety this session was ended, because its sign-in was used twice. Please sign in again.',
  insufficient_scope: 'You do not have permission to do this.',
  forbidden: 'You are not allowed to do this.',
  mfa_required: 'This needs a code from your authenticator app.',
  invalid_mfa_code: 'That code is not right, or it was already used. Wait for the next code and try again.',
  not_found: 'This item no longer exists. It may have been deleted.',
  method_not_allowed: 'The server does not support this action.',
  unsupported_media_type: 'The server could not read the request.',
  conflict: 'This conflicts with something that already exists.',
  rate_limited: 'Too many attempts.',
  account_locked: 'This account is locked after too many failed attempts.',
  payload_too_large: 'That is too large for the server to accept.',
  service_unavailable: 'The server is busy or its database is unavailable. Try again in a moment.',
  internal_error: 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.',
  csrf_check_failed: 'The request was refused as a possible cross-site request. Reload the page and try again.',
  network: 'The server cannot be reached. Check your connection and try again.',
};

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? 'network' : 'internal_error');
    this.problem = problem ?? {};
    this.retryAfter = retryAfter;
  }

  /** The per-field messages of a validation problem, keyed by the API's field name. */
  get fields() { return this.problem.errors ?? {}; }
}

function wait(seconds) {
  if (!seconds) return '';
  if (seconds < 60) return ` Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(seconds / 60);
  return ` Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** A sentence for any error; a validation problem's first field message, a throttle's wait. */
export function describe(error) {
  if (!(error instanceof ApiError)) return messages.network;
  if (error.code === 'rate_limited') return messages.rate_limited + (wait(error.retryAfter) || ' Wait a moment, then try again.');
  if (error.code === 'account_locked') return `${messages.account_locked}${wait(error.retryAfter).replace('Try again in', 'Try again in at most') || ' Wait a few minutes, then try again.'} An administrator can unlock it sooner.`;
  if (error.code === 'validation_failed') {
    const first = Object.values(error.fields).flat()[0];
    return first ? `${first}` : messages.validation_failed;
  }
  if (error.code === 'conflict' || error.code === 'forbidden' || error.code === 'not_found') {
    return error.problem.detail || messages[error.code];
  }
  return messages[error.code] ?? error.problem.detail ?? messages.internal_error;
}

/** Puts each field message of a validation problem under its input; answers whether any was placed. */
export function showFieldErrors(error, fieldsByName) {
  let placed = false;
  for (const wrap of Object.values(fieldsByName)) wrap.setError(null);
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return false;
  for (const [name, list] of Object.entries(error.fields)) {
    const key = Object.keys(fieldsByName).find((k) => k.toLowerCase() === name.toLowerCase().replace(/^\$\./, ''));
    if (key) { fieldsByName[key].setError(list.join(' ')); placed = true; }
  }
  return placed;
}
