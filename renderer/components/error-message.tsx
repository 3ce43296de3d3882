/** An operator-facing error line: the core's message as is, with its code for reference. */
import { isApiError, errorMessage } from '../lib/transport';

export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  const code = isApiError(error) ? error.code : 'internal';
  return (
    <p className="error-message" role="alert" data-error-code={code}>
      {prefix ? <strong>{prefix} </strong> : null}
      {errorMessage(error)} <span className="error-code">({code})</span>
    </p>
  );
}
