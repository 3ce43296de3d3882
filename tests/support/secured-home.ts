// The Elasticsearch home of the secured test cluster: the integ-test distribution (hard-linked, not
// copied) plus one test plugin, es-security-analysis/SecurityIndexAnalysis.java, compiled here with
// the JDK's javac against the distribution's own jars. The plugin gives the security index the three
// analysis parts it declares and the distribution lacks (see the Java file): without it no native
// user, native role or API key can be stored. Built once into `<distribution>-secured`, next to the
// distribution, and rebuilt when the Java source changes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { acquireLock, ES_VERSION } from './elasticsearch';

const execFileAsync = promisify(execFile);
const PLUGIN = 'tracardi-security-analysis';
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'es-security-analysis', 'SecurityIndexAnalysis.java');

/** `<distribution>-secured`, made if missing or older than the plugin's source. */
export async function securedHome(distribution: string): Promise<string> {
  const source = readFileSync(SOURCE, 'utf8');
  const stamp = createHash('sha256').update(source).digest('hex');
  const home = `${distribution}-secured`;
  const stampFile = join(home, 'plugins', PLUGIN, 'source.sha256');
  const current = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (current()) return home;
  const parent = dirname(distribution);
  const release = await acquireLock(join(parent, `.${basename(home)}.lock`), current);
  try {
    if (current()) return home;
    const work = await mkdtemp(join(parent, '.secured-'));
    try {
      const built = join(work, basename(home));
      // Hard links: the same files, no 120 MB copy (a plain copy where links cannot be made).
      await execFileAsync('cp', ['-al', distribution, built]).catch(() =>
        execFileAsync('cp', ['-a', distribution, built]),
      );
      const classes = join(work, 'classes');
      await mkdir(classes);
      await execFileAsync('javac', [
        '--release',
        '17',
        '-cp',
        join(distribution, 'lib', '*'),
        '-d',
        classes,
        SOURCE,
      ]).catch((err: unknown) => {
        throw new Error(
          `javac could not build the test plugin (a JDK 17+ is needed: run scripts/setup.sh): ${String((err as { stderr?: string }).stderr ?? err)}`,
        );
      });
      const pluginDir = join(built, 'plugins', PLUGIN);
      await mkdir(pluginDir, { recursive: true });
      await execFileAsync('jar', ['cf', join(pluginDir, `${PLUGIN}.jar`), '-C', classes, '.']);
      await writeFile(
        join(pluginDir, 'plugin-descriptor.properties'),
        [
          `name=${PLUGIN}`,
          'description=Test only: the analysis parts the security index needs (uax_url_email, pattern_capture, unique)',
          'version=1.0.0',
          'classname=org.tracardi.console.test.SecurityIndexAnalysis',
          'java.version=17',
          `elasticsearch.version=${ES_VERSION}`,
          '',
        ].join('\n'),
      );
      await writeFile(join(pluginDir, 'source.sha256'), stamp);
      await rm(home, { recursive: true, force: true });
      await rename(built, home);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return home;
  } finally {
    await release();
  }
}
