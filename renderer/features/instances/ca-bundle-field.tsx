/**
 * The Elasticsearch CA bundle as PEM text: pasted, or read here in the page from a file the operator
 * picks. Main never reads a file a call names, so the file's content travels, not its path.
 */
import { useId } from 'react';
import { MAX_CA_PEM_CHARS } from '../../../shared/instances/instance';
import { TextField } from '../../components/text-field';

export function CaBundleField({
  value,
  onValue,
  error,
  savedCaFile,
  onError,
}: {
  value: string;
  onValue: (pem: string) => void;
  error: string | undefined;
  /** A CA file set with `tenantctl instances add --ca-file`: used while no PEM is given here. */
  savedCaFile: string | undefined;
  onError: (message: string) => void;
}) {
  const pickerId = useId();
  async function pick(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_CA_PEM_CHARS) {
      onError(`${file.name} is larger than ${MAX_CA_PEM_CHARS / 1024} KB: not a CA bundle.`);
      return;
    }
    onValue((await file.text()).trim());
  }
  const hint = savedCaFile
    ? `Empty: the CA file set from the command line (${savedCaFile}) stays in use. Paste PEM or pick a file to replace it.`
    : 'PEM certificates (-----BEGIN CERTIFICATE-----…). Paste them or pick the .pem file below.';
  return (
    <>
      <TextField
        label="TLS CA certificates (PEM)"
        value={value}
        onValue={onValue}
        error={error}
        hint={hint}
        multiline
        rows={3}
      />
      <label className="field" htmlFor={pickerId}>
        <span>Read a CA file</span>
        <input
          id={pickerId}
          type="file"
          accept=".pem,.crt,.cer,application/x-pem-file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      </label>
    </>
  );
}
