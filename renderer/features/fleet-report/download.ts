/**
 * Hand a text to the operator as a file, from the page itself: a Blob behind an `<a download>`.
 * The browser shell's browser saves it where its downloads go; Electron shows its save dialog. No
 * path crosses the contract (the core never learns where the file went).
 */
export function downloadText(fileName: string, contentType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the Blob once started; the URL is only the way to it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
