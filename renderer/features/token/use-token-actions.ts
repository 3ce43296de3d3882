/**
 * The token actions on one tenant: reveal, copy, export the hand-off sheet, mark handed over.
 * A revealed token is component state only; it never goes to the query cache or a store.
 */
import { useCallback, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AppStatus, RevealedToken, TenantRef } from '../../../shared/contract/contract';
import { useApi } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { expectedVersion, reReadOnConflict } from '../../lib/record-version';
import { ApiError } from '../../lib/transport';
import { useAppStatus } from '../../lib/use-server-state';
import { downloadText } from './download-text';
import { copyWithAutoClear } from './page-clipboard';

export type { TenantRef };

/** `version`: the record the operator sees (a hand-over on a record changed since is refused). */
export function useTokenActions(ref: TenantRef, version?: string) {
  const api = useApi();
  const qc = useQueryClient();
  const status = useAppStatus();
  const [revealed, setRevealed] = useState<RevealedToken | null>(null);
  const [message, setMessage] = useState<string>('');

  const reveal = useMutation({
    mutationFn: () => api['tenants.revealToken'](ref),
    onSuccess: (value) => {
      setRevealed(value);
      announce(`Token for ${ref.tenant} revealed.`);
    },
  });

  const copy = useMutation({
    mutationFn: async (): Promise<string> => {
      const app: AppStatus = status.data ?? (await api['app.status']({}));
      if (app.clipboard) {
        const { clearsInSeconds } = await api['tenants.copyToken'](ref);
        return `Token copied to the clipboard; it clears in ${clearsInSeconds} s.`;
      }
      const token = revealed?.token ?? (await api['tenants.revealToken'](ref)).token;
      try {
        await copyWithAutoClear(token, app.clipboardClearSeconds);
      } catch {
        throw new ApiError(
          'validation',
          'This browser refused to write the clipboard: reveal the token and copy it by hand.',
        );
      }
      return `Token copied to the clipboard; it clears in ${app.clipboardClearSeconds} s if it is still there.`;
    },
    onSuccess: (text) => {
      setMessage(text);
      announce(text);
    },
  });

  const exportHandoff = useMutation({
    mutationFn: () => api['tenants.exportHandoff'](ref),
    onSuccess: (exported) => {
      // Browser shell: the sheet comes back once, straight into a download; it is kept nowhere here.
      const text =
        exported.saved === 'file'
          ? `Hand-off sheet written to ${exported.path}`
          : `Hand-off sheet downloaded as ${downloadText(exported.fileName, exported.content)}`;
      setMessage(text);
      announce(text);
    },
  });

  const markHandedOver = useMutation({
    mutationFn: () => api['tenants.markHandedOver']({ ...ref, ...expectedVersion(version) }),
    onError: reReadOnConflict(qc),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.tenants });
      setMessage(`${ref.tenant} marked as handed over.`);
      announce(`${ref.tenant} marked as handed over.`);
    },
  });

  const hide = useCallback(() => setRevealed(null), []);

  return { revealed, hide, message, reveal, copy, exportHandoff, markHandedOver };
}
