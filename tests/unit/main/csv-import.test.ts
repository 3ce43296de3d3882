import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CSV_BYTES, parseCsvText, readCsvFile, type CsvSpec } from '../../../main/services/csv-import';

const spec: CsvSpec = { columns: ['instance', 'domain', 'email', 'days', 'gui'], required: 4, header: 'instance' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe('parseCsvText', () => {
  it('quoted fields, escaped quotes, embedded newlines, BOM, CRLF, comments and blank lines; each row names its first line', () => {
    const text =
      '\uFEFFinstance,domain,email,days,gui\r\n' +
      '# a comment, with a comma\r\n' +
      'inst1,"a.example.com",a@example.com,10\r\n' +
      '\r\n' +
      'inst1,"b, with ""quotes""\r\nand a newline",b@example.com,20,gui.example.com\r\n' +
      'inst2,c.example.com,c@example.com,30,\r\n';
    const table = parseCsvText(text, spec, 'f.csv');
    expect(table.problems).toEqual([]);
    expect(table.rows.map((r) => r.line)).toEqual([3, 5, 7]);
    expect(table.rows[0]!.values).toEqual({
      instance: 'inst1',
      domain: 'a.example.com',
      email: 'a@example.com',
      days: '10',
      gui: '',
    });
    expect(table.rows[1]!.values.domain).toBe('b, with "quotes"\nand a newline');
    expect(table.rows[1]!.values.gui).toBe('gui.example.com');
  });

  it('a 10,000-row file: rows of the wrong shape are named by line, the others kept', () => {
    const lines = ['instance,domain,email,days'];
    for (let i = 2; i <= 10_001; i++)
      lines.push(i === 7342 ? 'inst1,only-two' : `inst1,t${i}.example.com,a@example.com,10`);
    const table = parseCsvText(lines.join('\n'), spec, 'big.csv');
    expect(table.rows).toHaveLength(9_999);
    expect(table.problems).toEqual([{ line: 7342, message: expect.stringMatching(/expected 4 to 5 values .* got 2/) }]);
    expect(table.rows.at(-1)!.line).toBe(10_001);
  });

  it('an unterminated quote refuses the file naming the line it opens on (it does not swallow the rest)', () => {
    const text =
      'inst1,a.example.com,a@example.com,10\ninst1,"b.example.com,b@example.com,10\ninst1,c.example.com,c@example.com,10\n';
    expect(() => parseCsvText(text, spec, 'q.csv')).toThrow(
      /^q\.csv is not valid CSV: the quote opened on line 2 is never closed; nothing was imported\.$/,
    );
  });

  it('a stray quote inside a field refuses the file with its line', () => {
    const text = 'inst1,a.example.com,a@example.com,10\ninst1,b"x.example.com,b@example.com,10\n';
    expect(() => parseCsvText(text, spec, 's.csv')).toThrow(/^s\.csv is not valid CSV: line 2: /);
  });
});

describe('readCsvFile refuses up front', () => {
  it('a file over the size limit, without reading it (a 50 MB random file)', async () => {
    const big = path.join(dir, 'big.bin');
    const fd = fs.openSync(big, 'w');
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    await expect(readCsvFile(big, spec)).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/is 50\.0 MiB, over the 5 MiB import limit: split it; nothing was imported\.$/),
    });
    expect(MAX_CSV_BYTES).toBe(5 * 1024 * 1024);
  });

  it('UTF-16, binary (NUL bytes) and non-UTF-8 files', async () => {
    const utf16 = file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('inst1,a,b,1\n', 'utf16le')]));
    await expect(readCsvFile(utf16, spec)).rejects.toThrow(/is UTF-16 text .* save it as UTF-8 CSV/);
    const binary = file('bin.csv', randomBytes(4096).fill(0, 100, 101));
    await expect(readCsvFile(binary, spec)).rejects.toThrow(
      /contains a NUL byte \(at byte \d+\): a binary file, not CSV/,
    );
    const latin1 = file('latin1.csv', Buffer.from('inst1,caf\xe9.example.com,a@example.com,10\n', 'latin1'));
    await expect(readCsvFile(latin1, spec)).rejects.toThrow(/is not UTF-8 text/);
    await expect(readCsvFile(path.join(dir, 'missing.csv'), spec)).rejects.toThrow(/Cannot read .* \(ENOENT\)/);
  });

  it('reads a good file', async () => {
    const good = file('good.csv', 'instance,domain,email,days\ninst1,a.example.com,a@example.com,10\n');
    expect((await readCsvFile(good, spec)).rows).toEqual([
      { line: 2, values: { instance: 'inst1', domain: 'a.example.com', email: 'a@example.com', days: '10', gui: '' } },
    ]);
  });
});
