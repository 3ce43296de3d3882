/**
 * An operator-facing error line: the core's message with its remedy in this window's words (never a
 * tenantctl flag), its code for reference, and the Run repair control when a repair is the remedy.
 */
import { offersRepair } from '../lib/remedies';
import { isApiError, errorMessage } from '../lib/transport';
import { RepairAction } from './repair-action';

export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  const code = isApiError(error) ? error.code : 'internal';
  const repair = isApiError(error) && offersRepair(error.remedy);
  return (
    <>
      <p className="error-message" role="alert" data-error-code={code}>
        {prefix ? <strong>{prefix} </strong> : null}
        {errorMessage(error)} <span className="error-code">({code})</span>
      </p>
      {repair ? <RepairAction /> : null}
    </>
  );
}
