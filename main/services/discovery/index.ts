/** Discovery's public API: `import { DiscoveryService } from './services/discovery'`. */
export { DiscoveryService, type DiscoveryDeps } from './discovery-service';
export { readNames, type Footprints, type ReadNames } from './footprints';
export { DISCOVERY_REQUESTS, TRACARDI_NAMES, type IndexFacts } from './requests';
