export { FleetScreen } from './fleet-screen';
export { useSnapshot, useRefreshSnapshot, useRefreshFleet } from './use-snapshots';
export { ShardsAndRoom, SnapshotTaken } from './snapshot-parts';
export { watermarkMarkers, worstDisk, worstHeap, roomText, layoutRateText, sizesAgeText } from './snapshot-summary';
