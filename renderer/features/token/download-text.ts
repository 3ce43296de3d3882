/** Save text as a file through the browser's download (onto the operator's machine). */
export function downloadText(fileName: string, content: string): string {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/markdown;charset=utf-8' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the download; the page keeps no copy of the sheet.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return fileName;
}
