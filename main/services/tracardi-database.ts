/**
 * Tracardi 0.9's MySQL database as its API reports it failing: the words the operator reads and the
 * driver's own text, which follows them as detail.
 */
/** What the operator reads when Tracardi's MySQL driver failed; the driver's own text follows as detail. */
export const DATABASE_UNREACHABLE = "Tracardi's database is not reachable";

// Tracardi 0.9 reaches MySQL through SQLAlchemy and pymysql (aiomysql): an outage comes back as a 500
// whose detail is the driver's exception, e.g. `(pymysql.err.OperationalError) (2003, "Can't connect
// to MySQL server on '127.0.0.1'")`, seen on the real 0.9.0-rc5 with its MariaDB stopped.
const MYSQL_DRIVER = /\b(?:pymysql|aiomysql|MySQLdb)\b|\bMySQL server\b/i;

/** The driver's message (on one line, at most 300 characters) when a 5xx names the MySQL driver, else null. */
export function databaseError(json: unknown, text: string): string | null {
  const detail = typeof json === 'object' && json !== null ? (json as { detail?: unknown }).detail : undefined;
  const raw = detail === undefined ? text : typeof detail === 'string' ? detail : JSON.stringify(detail);
  if (!MYSQL_DRIVER.test(raw)) return null;
  return raw
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, 300);
}
