// A proxy in front of Elasticsearch that simulates index creation dates in the past. Elasticsearch 8
// refuses `index.creation_date` in the create-index settings ("unknown setting": the setting is
// private), so a test cannot create an index "in March". Every request is forwarded unchanged,
// except the replies of `GET …/_settings/index.creation_date`: there, the date of each index named in
// `dates` is replaced by the simulated one (indices Elasticsearch did not list stay absent; others
// keep their real date). It keeps the real dates Elasticsearch answered, so a test can check the
// real reply too.
import { startRewritingProxy, type RewritingProxy } from './rewriting-proxy';

export interface DatingProxy extends RewritingProxy {
  /** Index → creation date (ms) as Elasticsearch itself answered, over every creation-date reply so far. */
  realDates: () => Map<string, number>;
}

const CREATION_DATE = '/_settings/index.creation_date';

export async function startDatingProxy(target: string, dates: ReadonlyMap<string, number>): Promise<DatingProxy> {
  const real = new Map<string, number>();
  const proxy = await startRewritingProxy(target, [
    {
      matches: (path) => path.endsWith(CREATION_DATE),
      rewrite: (body) => {
        for (const [name, entry] of Object.entries(body)) {
          const index = (entry as { settings?: { index?: { creation_date?: string } } }).settings?.index;
          if (index?.creation_date === undefined) continue;
          real.set(name, Number(index.creation_date));
          const simulated = dates.get(name);
          if (simulated !== undefined) index.creation_date = String(simulated);
        }
      },
    },
  ]);
  return { ...proxy, realDates: () => new Map(real) };
}
