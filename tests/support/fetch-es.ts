// Pre-fetches and unpacks the Elasticsearch test distribution (scripts/setup.sh runs this with tsx).
import { ensureElasticsearchDistribution } from './elasticsearch';

const home = await ensureElasticsearchDistribution();
console.log(`Elasticsearch distribution ready: ${home}`);
